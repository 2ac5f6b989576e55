package io.messagebridge.harness;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails, prints the end of the log of every application it started or that was still running: CI keeps
 * only the build's console output, and a timeout alone does not say whether messages were lost, refused or just
 * slow. Registered for every test through junit-platform.properties and META-INF/services.
 */
public final class BridgeLogsOnFailure implements BeforeEachCallback, TestWatcher {

    private static final int LINES = 80;
    private static final ExtensionContext.Namespace TEST_STARTS =
            ExtensionContext.Namespace.create(BridgeLogsOnFailure.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(TEST_STARTS).put(context.getUniqueId(), Instant.now());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Instant testStart = context.getStore(TEST_STARTS)
                .getOrDefault(context.getUniqueId(), Instant.class, Instant.EPOCH);
        for (BridgeProcess bridge : BridgeProcess.startedSinceOrRunning(testStart)) {
            List<String> log = bridge.log();
            System.out.printf("---- %s failed; last %d of %d lines of %s ----%n", context.getDisplayName(),
                    Math.min(LINES, log.size()), log.size(), bridge.logFile());
            log.subList(Math.max(0, log.size() - LINES), log.size()).forEach(System.out::println);
        }
    }
}
