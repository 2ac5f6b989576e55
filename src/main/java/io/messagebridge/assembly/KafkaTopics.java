package io.messagebridge.assembly;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.messagebridge.config.KafkaSecurity;
import io.messagebridge.config.Settings;
import io.messagebridge.dedup.Deduplication;
import io.messagebridge.errors.DeadLetterReplay;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.support.task.Tasks;
import org.apache.camel.support.task.budget.Budgets;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before any route starts, creates the Kafka topics the routes read and write that do not exist yet ({@link
 * RouteTopics}: dead-letter topics included, and deduplication's) and waits until every partition of them answers
 * from its leader. A partition that is still opening can answer an idempotent producer with NOT_LEADER_OR_FOLLOWER and
 * then OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms: its route would stall for minutes. An existing topic is
 * left as it is; a new one gets {@code bridge.kafka.topics.partitions} and {@code bridge.kafka.topics.replication-factor}.
 * <p>
 * A missing topic that Kafka will not create (no CREATE permission, more replicas than brokers) stops start-up with
 * one line. A Kafka that does not answer does not, as with any broker that is down: the routes start, and the topics
 * are created as soon as it answers.
 */
public final class KafkaTopics extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
    /** Replicas of a new topic when the setting is empty: one per broker, up to the usual three. */
    private static final int MOST_DEFAULT_REPLICAS = 3;
    private static final Duration LEADER_POLL_INTERVAL = Duration.ofMillis(100);

    private final RouteTopics routeTopics = new RouteTopics();

    @Override
    public void afterConfigure(BaseMainSupport main) {
        main.getCamelContext().addLifecycleStrategy(routeTopics);
    }

    @Override
    public void beforeStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        // creates the routes without starting them, so that their endpoints name the topics. A failure here reaches
        // Application's one line; thrown inside Camel's own start it would come with Camel's warning or stack trace.
        context.init();
        Settings settings = Settings.of(context);
        SortedSet<String> topics = routeTopics.topics(DeadLetterReplay.from(settings)::deadLetterTopic);
        Deduplication.kafkaTopic(settings).ifPresent(topics::add);
        if (topics.isEmpty()) {
            return;
        }
        Plan plan = Plan.of(settings, topics);
        try {
            LOG.info(ensure(plan).line());
        } catch (NotReady e) {
            LOG.warn("Kafka topics not ready ({}): the routes start anyway, and the bridge creates the missing ones of "
                    + "its {} topics as soon as Kafka answers", e.getMessage(), topics.size());
            try {
                context.addService(new Retry(plan, context), true, true);
            } catch (Exception failure) {
                throw RuntimeCamelException.wrapRuntimeException(failure);
            }
        }
    }

    /** What a pass needs: the topics, how to reach Kafka, what a new topic gets and how long to wait. */
    record Plan(SortedSet<String> topics, Map<String, Object> client, int partitions, OptionalInt replicas,
                Duration answerTimeout, Duration timeout) {

        static Plan of(Settings settings, SortedSet<String> topics) {
            return new Plan(topics, KafkaSecurity.clientProperties(settings),
                    settings.integer("bridge.kafka.topics.partitions", 1, 100_000),
                    settings.optionalInteger("bridge.kafka.topics.replication-factor", 1, Short.MAX_VALUE),
                    // a Kafka that does not answer within this is unreachable, as the health check judges it
                    Duration.ofMillis(Math.min(settings.integer("bridge.health.check-interval-ms", 100, 600_000), 30_000)),
                    Duration.ofMillis(settings.integer("bridge.kafka.topics.timeout-ms", 1_000, 3_600_000)));
        }

        /** Without the client settings: they hold the credentials. */
        @Override
        public String toString() {
            return "Plan[" + topics.size() + " topics, " + partitions + " partitions, replicas " + replicas + "]";
        }
    }

    /** What a pass did: the topics it created and those it found. */
    record Ready(List<String> created, int partitions, int replicas, List<String> found) {

        String line() {
            String foundThem = found.isEmpty() ? "" : "found " + String.join(", ", found);
            if (created.isEmpty()) {
                return "Kafka topics ready, each partition answering from its leader: " + foundThem;
            }
            return "Kafka topics ready, each partition answering from its leader: created " + String.join(", ", created)
                    + " (" + partitions + " partitions, replication factor " + replicas + ")"
                    + (found.isEmpty() ? "" : "; " + foundThem);
        }
    }

    /** Creates the missing topics and waits for their leaders, with a client of its own. */
    static Ready ensure(Plan plan) throws NotReady {
        Map<String, Object> config = new HashMap<>(plan.client());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "rabbitmq-kafka-bridge-topics");
        Admin admin = Admin.create(config);
        try {
            return ensure(admin, plan, System.nanoTime() + plan.timeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotReady("interrupted");
        } finally {
            // whatever is still pending is of no use any more
            admin.close(Duration.ZERO);
        }
    }

    private static Ready ensure(Admin admin, Plan plan, long deadline) throws NotReady, InterruptedException {
        int brokers = answer(admin.describeCluster(new DescribeClusterOptions()
                .timeoutMs((int) plan.answerTimeout().toMillis())).nodes(),
                "no answer from Kafka at " + plan.client().get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)).size();
        int replicas = plan.replicas().orElse(Math.min(MOST_DEFAULT_REPLICAS, brokers));
        List<String> missing = missing(admin, plan.topics(), deadline);
        List<String> created = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        SortedMap<String, String> refused = new TreeMap<>();
        Map<String, KafkaFuture<Void>> creations = admin.createTopics(
                missing.stream().map(topic -> new NewTopic(topic, plan.partitions(), (short) replicas)).toList(),
                new CreateTopicsOptions().timeoutMs(millis(deadline - System.nanoTime()))).values();
        for (String topic : missing) {
            try {
                creations.get(topic).get();
                created.add(topic);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof AuthorizationException) {
                    denied.add(topic);
                } else if (cause instanceof TopicExistsException) {
                    // created meanwhile: by another instance, or by a producer on a broker that auto-creates topics
                    continue;
                } else if (cause instanceof ApiException && !(cause instanceof RetriableException)
                        && !(cause instanceof AuthenticationException)) {
                    refused.put(topic, cause.getMessage());
                } else {
                    throw new NotReady("creating topic " + topic + ": " + cause.getMessage());
                }
            }
        }
        if (!denied.isEmpty()) {
            throw new Refused(notAllowed(denied, plan.partitions(), replicas));
        }
        if (!refused.isEmpty()) {
            throw new Refused(refused(refused));
        }
        List<TopicPartition> partitions = awaitLeaders(admin, plan.topics(), deadline);
        // a broker can be the leader in the metadata before it has taken the partition on; it answers once it has
        answer(admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest())),
                new ListOffsetsOptions().timeoutMs(millis(deadline - System.nanoTime()))).all(),
                "waiting for the leaders of " + partitions.size() + " partitions");
        List<String> found = new ArrayList<>(plan.topics());
        found.removeAll(created);
        return new Ready(created, plan.partitions(), replicas, found);
    }

    /** The topics Kafka does not know, or does not show the bridge (then creating them tells whether it may). */
    private static List<String> missing(Admin admin, Collection<String> topics, long deadline)
            throws NotReady, InterruptedException {
        List<String> missing = new ArrayList<>();
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics,
                new DescribeTopicsOptions().timeoutMs(millis(deadline - System.nanoTime()))).topicNameValues();
        for (String topic : topics) {
            try {
                described.get(topic).get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException
                        || e.getCause() instanceof TopicAuthorizationException)) {
                    throw new NotReady("describing topic " + topic + ": " + e.getCause().getMessage());
                }
                missing.add(topic);
            }
        }
        return missing;
    }

    /** Every partition of the topics, once each has a leader. */
    private static List<TopicPartition> awaitLeaders(Admin admin, Collection<String> topics, long deadline)
            throws NotReady {
        List<TopicPartition> partitions = new ArrayList<>();
        boolean led = Tasks.foregroundTask().withName("Kafka topic leaders")
                .withBudget(Budgets.iterationTimeBudget()
                        .withMaxDuration(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))
                        .withInterval(LEADER_POLL_INTERVAL).build())
                .build()
                .run(null, () -> allLed(admin, topics, deadline, partitions));
        if (!led) {
            throw new NotReady("partitions still without a leader when bridge.kafka.topics.timeout-ms ran out");
        }
        return partitions;
    }

    private static boolean allLed(Admin admin, Collection<String> topics, long deadline, List<TopicPartition> partitions) {
        partitions.clear();
        try {
            for (TopicDescription topic : admin.describeTopics(topics, new DescribeTopicsOptions()
                    .timeoutMs(millis(deadline - System.nanoTime()))).allTopicNames().get().values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.leader() == null || partition.leader().isEmpty()) {
                        return false;
                    }
                    partitions.add(new TopicPartition(topic.name(), partition.partition()));
                }
            }
            return true;
        } catch (ExecutionException e) {
            // a topic just created is unknown to a broker that has not caught up yet: asked again until the deadline
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static <T> T answer(KafkaFuture<T> future, String doing) throws NotReady, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new NotReady(doing + ": " + e.getCause().getMessage());
        }
    }

    private static int millis(long nanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
    }

    static String notAllowed(List<String> topics, int partitions, int replicas) {
        boolean one = topics.size() == 1;
        return "Kafka " + (one ? "topic " : "topics ") + String.join(", ", topics) + (one ? " is" : " are")
                + " missing and the bridge's Kafka user may not create " + (one ? "it" : "them")
                + ": have an administrator create " + (one ? "it" : "them") + " (" + partitions
                + " partitions, replication factor " + replicas + ", as bridge.kafka.topics.* say), or grant that user "
                + "CREATE on " + (one ? "it" : "them") + " or on the cluster";
    }

    static String refused(SortedMap<String, String> reasons) {
        return "Kafka refused to create " + (reasons.size() == 1 ? "topic " : "topics ")
                + String.join(", ", reasons.keySet()) + " (" + reasons.get(reasons.firstKey()) + "); check "
                + "bridge.kafka.topics.partitions and bridge.kafka.topics.replication-factor";
    }

    /** Kafka did not answer, or not in time: worth another pass. */
    static final class NotReady extends Exception {
        NotReady(String reason) {
            super(reason);
        }
    }

    /** Kafka will not create a missing topic: another pass would not change that, an operator has to. */
    static final class Refused extends IllegalStateException {
        Refused(String line) {
            super(line);
        }
    }

    /** Passes again, at the health check's pace, until the topics are ready; a refusal is logged once, not each pass. */
    private static final class Retry extends ServiceSupport {

        private final Plan plan;
        private final CamelContext context;
        private ScheduledExecutorService scheduler;
        private String refusal;

        Retry(Plan plan, CamelContext context) {
            this.plan = plan;
            this.context = context;
        }

        @Override
        protected void doStart() {
            long interval = plan.answerTimeout().toMillis();
            scheduler = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "KafkaTopics");
            scheduler.scheduleWithFixedDelay(this::pass, interval, interval, TimeUnit.MILLISECONDS);
        }

        private void pass() {
            try {
                LOG.info(ensure(plan).line());
                scheduler.shutdown();
            } catch (Refused e) {
                if (!e.getMessage().equals(refusal)) {
                    LOG.error(e.getMessage());
                }
                refusal = e.getMessage();
            } catch (NotReady e) {
                LOG.debug("Kafka topics not ready yet: {}", e.getMessage());
            }
        }

        @Override
        protected void doStop() {
            if (scheduler != null) {
                context.getExecutorServiceManager().shutdownNow(scheduler);
            }
        }
    }
}
