package io.messagebridge.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 GET written by hand to 127.0.0.1, for the requests Java's HTTP client will not send: a Host header of
 * our choosing (a name rebound to this machine, as a DNS-rebinding page's request arrives).
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** The status line the application answers {@code GET path} with, addressed to {@code host}. */
    public static String statusLine(int port, String host, String path, String... headerLines) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String header : headerLines) {
                request.append(header).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }
}
