package io.messagebridge.replay;

/**
 * JMX view of a replay of a topic's history in the running application ({@value RangeReplays#OBJECT_NAME}): one at a
 * time, in the background, with the figures of the one running or last run.
 */
public interface RangeReplaysMBean {

    /**
     * Starts a replay, given the words of the {@code replay-range} command after its name (separated by spaces):
     * {@code topic shipments --from 2026-11-01T00:00Z --to 2026-11-02T00:00Z --into exchange x --route y}. Returns the
     * range it fixed; with {@code --dry-run} it sends nothing and returns the range per partition.
     */
    String startReplay(String arguments) throws Exception;

    /** Stops the running replay once its batch in flight is confirmed; {@link #getResumeArguments()} then resumes it. */
    void stopReplay();

    /** idle, running, stopping, done, stopped or failed. */
    String getState();

    /** The range of the replay running or last run. */
    String getRange();

    long getDone();

    long getTotal();

    /** Records per second since it started. */
    double getRate();

    /** Seconds left at that rate; -1 before its first batch. */
    long getEtaSeconds();

    /** Records its destination did not take (unroutable, no routing key). */
    long getUndelivered();

    /** Each partition's next offset, {@code 0:120,1:98}. */
    String getNextOffsets();

    /** The arguments for {@link #startReplay} that replay what is left. */
    String getResumeArguments();

    /** Why the last replay failed, without message content; null if it did not. */
    String getLastError();
}
