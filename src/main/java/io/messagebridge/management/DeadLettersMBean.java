package io.messagebridge.management;

/** JMX view of the dead letters of each bridge route: {@value DeadLetters#OBJECT_NAME}. */
public interface DeadLettersMBean {

    /** Dead letters of a route (by route id) waiting in its dead-letter queue or topic. */
    long count(String routeId) throws Exception;

    /** Moves up to {@code max} dead letters of a route back to its source, oldest first; returns how many. */
    int replay(String routeId, int max) throws Exception;
}
