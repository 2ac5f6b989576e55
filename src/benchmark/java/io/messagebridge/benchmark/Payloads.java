package io.messagebridge.benchmark;

import java.nio.charset.StandardCharsets;

/** JSON messages of a fixed size (padded), with the fields the bridges read: order id, region, status. */
final class Payloads {

    /** Every order of {@link #patternOrder} has this many lines. */
    static final int ORDER_LINES = 2;

    private static final String[] REGIONS = {"eu", "us", "apac"};

    private Payloads() {
    }

    /**
     * An order for the pattern routes, whose every field follows from its id, so that what each route should make of
     * it is known without keeping what was sent: a third of the orders in each region, one in five cancelled, half
     * with a total of 1000 or more (1000 and 999 included), {@value #ORDER_LINES} lines. Moduli 2, 3 and 5 make the
     * mix the same for every combination (a cancelled eu order at or over 1000 is as frequent as any other).
     */
    static byte[] patternOrder(int id, int size) {
        return padded("{\"orderId\":\"" + orderId(id) + "\",\"region\":\"" + region(id) + "\",\"total\":" + total(id)
                + ",\"status\":\"" + (cancelled(id) ? "cancelled" : "created") + "\","
                + "\"lines\":[{\"sku\":\"A\",\"qty\":1},{\"sku\":\"B\",\"qty\":2}],\"note\":\"", size);
    }

    /** Also the order's record key and message-id, from which its outputs' ids are made. */
    static String orderId(int id) {
        return "o-" + id;
    }

    static String region(int id) {
        return REGIONS[id % REGIONS.length];
    }

    static boolean cancelled(int id) {
        return id % 5 == 0;
    }

    static int total(int id) {
        return id % 2 == 0 ? 1000 + id / 2 % 900 : 999 - id / 2 % 900;
    }

    static byte[] order(int id, int size) {
        return padded("{\"orderId\":\"" + id + "\",\"region\":\"eu\",\"total\":125.5,"
                + "\"lines\":[{\"sku\":\"A-1\",\"qty\":2}],\"note\":\"", size);
    }

    static byte[] shipment(int id, int size) {
        return padded("{\"shipmentId\":\"s-" + id + "\",\"orderId\":\"" + id + "\",\"status\":\"shipped\","
                + "\"note\":\"", size);
    }

    private static byte[] padded(String head, int size) {
        return (head + "x".repeat(Math.max(0, size - head.length() - 2)) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }
}
