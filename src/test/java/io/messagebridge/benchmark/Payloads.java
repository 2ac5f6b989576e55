package io.messagebridge.benchmark;

import java.nio.charset.StandardCharsets;

/** JSON messages of a fixed size (padded), with the fields the bridges read: order id, region, status. */
final class Payloads {

    private Payloads() {
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
