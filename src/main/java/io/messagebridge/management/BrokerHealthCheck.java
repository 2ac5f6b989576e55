package io.messagebridge.management;

import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one broker, from {@link BrokerReachability}: down while the broker is unreachable, up again by itself
 * once it answers. Liveness is not affected: the process is fine and keeps retrying.
 */
public final class BrokerHealthCheck extends AbstractHealthCheck {

    private final BooleanSupplier reachable;
    private final String address;

    public BrokerHealthCheck(String broker, String address, BooleanSupplier reachable) {
        super("bridge", broker);
        this.address = address;
        this.reachable = reachable;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("address", address);
        if (reachable.getAsBoolean()) {
            builder.up();
        } else {
            builder.message(getId() + " unreachable at " + address).down();
        }
    }
}
