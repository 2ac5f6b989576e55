package io.messagebridge.management;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.config.Settings;

/**
 * Decides, from its headers, whether an HTTP request may reach Jolokia. It must be addressed to this machine by a
 * loopback name (localhost, 127.0.0.1, [::1]), which a page that rebinds its own DNS name to 127.0.0.1 cannot do. A
 * page may call from an origin on one of those names or listed in {@code bridge.jolokia.allowed-origins}; a foreign
 * {@code Origin} (else {@code Referer}) is refused, as is a browser request that another site made without either.
 * When {@code bridge.jolokia.password} is set, it also needs that password and {@code bridge.jolokia.username}
 * (HTTP basic authentication). What Jolokia then lets a request do is in jolokia-access.xml. The same rules,
 * without origins or password, keep Camel's developer console to this machine ({@link #loopbackOnly}).
 */
public final class JolokiaGuard {

    /** Sent with a 401, so that a browser or Hawtio asks for the user name and password. */
    public static final String CHALLENGE = "Basic realm=\"rabbitmq-kafka-bridge\", charset=\"UTF-8\"";
    /** The names jolokia-access.xml's clients on this machine reach it by (IPv6 with brackets in a URL). */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");
    private static final String ALLOWED_ORIGINS = "bridge.jolokia.allowed-origins";

    /** Why a request is refused: its HTTP status and the one line its client gets. */
    public record Refusal(int status, String reason) {
    }

    /** What the refusals name: Jolokia, or the service a {@link #loopbackOnly} guard keeps. */
    private final String service;
    /** Where a refused origin can be allowed, for the refusal to say; empty when nowhere. */
    private final String originsSetting;
    private final Set<String> allowedOrigins;
    /** {@code user:password} as basic authentication sends it, or null when no login is asked for. */
    private final byte[] credentials;

    private JolokiaGuard(String service, String originsSetting, Set<String> allowedOrigins, String username,
            String password) {
        this.service = service;
        this.originsSetting = originsSetting;
        this.allowedOrigins = allowedOrigins;
        this.credentials = password == null ? null : (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    public static JolokiaGuard from(Settings settings) {
        Set<String> origins = new HashSet<>();
        String listed = settings.text(ALLOWED_ORIGINS, "");
        for (String entry : listed.split(",")) {
            String given = entry.trim();
            if (!given.isEmpty()) {
                String normalized = origin(given);
                if (normalized == null || !normalized.equals(given.toLowerCase(Locale.ROOT))) {
                    throw new InvalidSettingException(ALLOWED_ORIGINS, listed,
                            "'" + given + "' is not an origin such as https://hawtio.example.com:8443");
                }
                origins.add(normalized);
            }
        }
        String password = settings.text("bridge.jolokia.password", null);
        return new JolokiaGuard("Jolokia", " (" + ALLOWED_ORIGINS + ")", origins,
                password == null ? null : settings.text("bridge.jolokia.username"), password);
    }

    /** Requests addressed to a loopback name, from no page or a page on one, may reach {@code service}. */
    public static JolokiaGuard loopbackOnly(String service) {
        return new JolokiaGuard(service, "", Set.of(), null, null);
    }

    /**
     * Null when the request may reach Jolokia. {@code host} is the name it was addressed to (HTTP/1's Host, HTTP/2's
     * :authority, without the port), null if none; {@code headers} looks a header up by name.
     */
    public Refusal check(String host, Function<String, String> headers) {
        if (host == null || !LOOPBACK.contains(host.toLowerCase(Locale.ROOT))) {
            return new Refusal(403, service + " answers requests addressed to localhost, 127.0.0.1 or [::1], not to "
                    + host);
        }
        String origin = headers.apply("Origin");
        String source = origin != null ? origin : headers.apply("Referer");
        if (source != null && !isAllowed(source)) {
            String page = origin(source);
            return new Refusal(403, "a page of " + (page == null ? "origin " + source : page)
                    + " may not call " + service + originsSetting);
        }
        String site = headers.apply("Sec-Fetch-Site");
        if (source == null && ("cross-site".equals(site) || "same-site".equals(site))) {
            return new Refusal(403, "a page of another site that does not say which may not call " + service);
        }
        if (credentials != null && !isAuthorized(headers.apply("Authorization"))) {
            return new Refusal(401, "Jolokia needs the user name and password (bridge.jolokia.username, "
                    + "bridge.jolokia.password)");
        }
        return null;
    }

    public boolean asksForLogin() {
        return credentials != null;
    }

    public Set<String> allowedOrigins() {
        return Set.copyOf(allowedOrigins);
    }

    private boolean isAllowed(String source) {
        URI page = httpUrl(source);
        return page != null && (LOOPBACK.contains(page.getHost().toLowerCase(Locale.ROOT))
                || allowedOrigins.contains(origin(source)));
    }

    private boolean isAuthorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        try {
            // compares in constant time, so the time taken tells nothing of how much of a guess was right
            return MessageDigest.isEqual(credentials, Base64.getDecoder().decode(authorization.substring(6).trim()));
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** scheme://host[:port] of an http(s) URL, lower case, or null when it is none (an Origin of "null", say). */
    private static String origin(String url) {
        URI uri = httpUrl(url);
        if (uri == null) {
            return null;
        }
        return (uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()))
                .toLowerCase(Locale.ROOT);
    }

    private static URI httpUrl(String url) {
        try {
            URI uri = new URI(url);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
