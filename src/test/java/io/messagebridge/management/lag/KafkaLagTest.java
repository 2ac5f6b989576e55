package io.messagebridge.management.lag;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/** What "records behind" means in each state a consumer group can be in on a partition. */
class KafkaLagTest {

    @Test
    void behindIsTheLatestOffsetLessTheCommittedOne() {
        assertThat(KafkaLag.behind(new OffsetAndMetadata(40), 0, 100, false)).isEqualTo(60);
        assertThat(KafkaLag.behind(new OffsetAndMetadata(100), 0, 100, false)).isZero();
    }

    @Test
    void beforeItsFirstCommitAGroupIsBehindByWhatItsOffsetResetWouldRead() {
        assertThat(KafkaLag.behind(null, 30, 100, false)).as("earliest: every record still kept").isEqualTo(70);
        assertThat(KafkaLag.behind(null, 30, 100, true)).as("latest: only what comes next").isZero();
    }

    @Test
    void recordsDeletedByRetentionOrATruncatedTopicAreNotCountedAsBehind() {
        assertThat(KafkaLag.behind(new OffsetAndMetadata(10), 50, 100, false)).as("resumes at the earliest kept")
                .isEqualTo(50);
        assertThat(KafkaLag.behind(new OffsetAndMetadata(120), 0, 100, false)).as("committed past the end").isZero();
    }
}
