package io.messagebridge.rabbitmq;

import java.util.List;

import com.rabbitmq.client.Channel;
import org.apache.camel.CamelContext;
import org.apache.camel.component.springrabbit.CamelSimpleMessageListenerContainer;
import org.apache.camel.component.springrabbit.ListenerContainerFactory;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.batch.SimpleBatchingStrategy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.MessageConverter;

/**
 * The {@value #SCHEME} component: Camel's spring-rabbitmq with every option it has, except that one exchange carries
 * a batch of deliveries ({@link RabbitDeliveries}) instead of one. Camel's work per exchange (unit of work, events,
 * statistics, the route's steps) is then paid once per batch, which is what lets a RabbitMQ to Kafka bridge keep up
 * with a hand-written consumer loop.
 * <p>
 * Each consumer thread collects up to {@code batchSize} deliveries (at most half its prefetch), and hands over what
 * it has once {@code intervalMillis} passed since the first one, so a quiet queue adds at most that much latency.
 * Acknowledgement is the route's business ({@code acknowledgeMode=MANUAL}, {@link RabbitAcknowledgement}); the
 * container neither retries nor acks: Camel's error handler retries, and what fails goes back to the queue. A replayed
 * dead letter arrives with the exchange and routing key it first came through ({@link ReplayedDeliveries}).
 */
public final class BatchingRabbitContainerFactory implements ListenerContainerFactory {

    public static final String SCHEME = "spring-rabbitmq-batch";

    private final int batchSize;
    private final long intervalMillis;

    private BatchingRabbitContainerFactory(int batchSize, long intervalMillis) {
        this.batchSize = batchSize;
        this.intervalMillis = intervalMillis;
    }

    /** Adds the component to the context, on the same connections and with the same body converter as spring-rabbitmq's. */
    public static void register(CamelContext context, ConnectionFactory connectionFactory, MessageConverter converter,
                                int batchSize, long intervalMillis) {
        SpringRabbitMQComponent component = new SpringRabbitMQComponent();
        component.setConnectionFactory(connectionFactory);
        component.setMessageConverter(converter);
        component.setListenerContainerFactory(new BatchingRabbitContainerFactory(batchSize, intervalMillis));
        context.addComponent(SCHEME, component);
    }

    @Override
    public AbstractMessageListenerContainer createListenerContainer(SpringRabbitMQEndpoint endpoint) {
        BatchContainer container = new BatchContainer(endpoint);
        if (endpoint.getQueues() != null) {
            container.setQueueNames(endpoint.getQueues().split(","));
        }
        container.setAcknowledgeMode(endpoint.getAcknowledgeMode());
        container.setExclusive(endpoint.isExclusive());
        container.setNoLocal(endpoint.isNoLocal());
        container.setConsumerArguments(endpoint.getConsumerArgs());
        container.setPrefetchCount(endpoint.getPrefetchCount());
        container.setShutdownTimeout(endpoint.getComponent().getShutdownTimeout());
        if (endpoint.getComponent().getErrorHandler() != null) {
            container.setErrorHandler(endpoint.getComponent().getErrorHandler());
        }
        AmqpAdmin admin = endpoint.getComponent().getAmqpAdmin();
        if (admin == null && endpoint.isAutoDeclare()) {
            RabbitAdmin rabbitAdmin = new RabbitAdmin(endpoint.getConnectionFactory());
            rabbitAdmin.setIgnoreDeclarationExceptions(endpoint.getComponent().isIgnoreDeclarationExceptions());
            admin = rabbitAdmin;
        }
        container.setAutoDeclare(endpoint.isAutoDeclare());
        container.setAmqpAdmin(admin);

        container.setConsumerBatchEnabled(true);
        // a batch waits for deliveries RabbitMQ only sends once earlier ones are acked: never wait for a whole prefetch
        container.setBatchSize(Math.max(1, Math.min(batchSize, endpoint.getPrefetchCount() / 2)));
        container.setBatchReceiveTimeout(intervalMillis);
        container.setReceiveTimeout(intervalMillis);
        // every AMQP message is one delivery, whatever headers its publisher set (Spring would split its own batches)
        container.setBatchingStrategy(new SimpleBatchingStrategy(1, 1, 1) {
            @Override
            public boolean canDebatch(MessageProperties properties) {
                return false;
            }
        });
        return container;
    }

    /** Hands Camel's listener each batch as one message, which the message converter turns into its body. */
    private static final class BatchContainer extends CamelSimpleMessageListenerContainer {

        BatchContainer(SpringRabbitMQEndpoint endpoint) {
            super(endpoint);
        }

        @Override
        public void setMessageListener(MessageListener listener) {
            ChannelAwareMessageListener camel = (ChannelAwareMessageListener) listener;
            super.setMessageListener((ChannelAwareBatchMessageListener) (messages, channel) -> deliver(camel, messages, channel));
        }

        private static void deliver(ChannelAwareMessageListener camel, List<Message> messages, Channel channel) {
            messages.forEach(ReplayedDeliveries::restoreOrigin);
            try {
                camel.onMessage(new Batch(new RabbitDeliveries(List.copyOf(messages))), channel);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What Camel's listener sees: the last delivery's tag and queue, and the deliveries for the body. */
    static final class Batch extends Message {

        private final transient RabbitDeliveries deliveries;

        Batch(RabbitDeliveries deliveries) {
            super(new byte[0], summary(deliveries.messages()));
            this.deliveries = deliveries;
        }

        RabbitDeliveries deliveries() {
            return deliveries;
        }

        private static MessageProperties summary(List<Message> messages) {
            MessageProperties last = messages.get(messages.size() - 1).getMessageProperties();
            MessageProperties summary = new MessageProperties();
            summary.setDeliveryTag(last.getDeliveryTag());
            summary.setConsumerQueue(last.getConsumerQueue());
            return summary;
        }
    }
}
