package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import io.messagebridge.config.InvalidSettingException;
import io.messagebridge.config.Settings;
import org.junit.jupiter.api.Test;

/** Which requests may reach Jolokia, by their Host, Origin, Referer, Sec-Fetch-Site and Authorization headers. */
class JolokiaGuardTest {

    private static final Map<String, String> NO_HEADERS = Map.of();

    private final Map<String, String> properties = new HashMap<>(Map.of("bridge.jolokia.username", "operator"));

    @Test
    void onlyRequestsAddressedToALoopbackName() {
        JolokiaGuard guard = guard();
        for (String host : new String[] {"localhost", "LOCALHOST", "127.0.0.1", "::1", "[::1]"}) {
            assertThat(guard.check(host, NO_HEADERS::get)).as(host).isNull();
        }
        for (String host : new String[] {"evil.example", "127.0.0.1.evil.example", "::2"}) {
            assertThat(guard.check(host, NO_HEADERS::get)).as(host)
                    .isEqualTo(new JolokiaGuard.Refusal(403, "Jolokia answers requests addressed to localhost, "
                            + "127.0.0.1 or [::1], not to " + host));
        }
        assertThat(guard.check(null, NO_HEADERS::get).status()).as("no Host at all").isEqualTo(403);
    }

    @Test
    void pagesOfThisMachineAndOfTheListedOriginsOnly() {
        properties.put("bridge.jolokia.allowed-origins", "https://hawtio.example.com:8443, HTTP://Ops.Example");
        JolokiaGuard guard = guard();
        for (String origin : new String[] {"http://localhost:8080", "https://127.0.0.1", "http://[::1]:3000",
                "https://hawtio.example.com:8443", "http://ops.example"}) {
            assertThat(guard.check("localhost", Map.of("Origin", origin)::get)).as(origin).isNull();
            assertThat(guard.check("localhost", Map.of("Referer", origin + "/hawtio/jmx")::get)).as(origin)
                    .isNull();
        }
        assertThat(guard.check("localhost", Map.of("Origin", "http://evil.example")::get))
                .isEqualTo(new JolokiaGuard.Refusal(403,
                        "a page of http://evil.example may not call Jolokia (bridge.jolokia.allowed-origins)"));
        assertThat(guard.check("localhost", Map.of("Referer", "https://evil.example/a.html?x=1")::get).reason())
                .startsWith("a page of https://evil.example may not");
        for (String foreign : new String[] {"https://hawtio.example.com", "http://hawtio.example.com:8443", "null",
                "file:///tmp/a.html", "not a url"}) {
            assertThat(guard.check("localhost", Map.of("Origin", foreign)::get)).as(foreign).isNotNull()
                    .extracting(JolokiaGuard.Refusal::status).isEqualTo(403);
        }
        assertThat(guard.check("localhost", Map.of("Origin", "http://evil.example",
                "Referer", "http://localhost:8080/")::get)).as("the Origin decides, when there is one").isNotNull();
    }

    @Test
    void aBrowserRequestFromAnotherSiteThatHidesItsOrigin() {
        JolokiaGuard guard = guard();
        assertThat(guard.check("localhost", Map.of("Sec-Fetch-Site", "cross-site")::get).status()).isEqualTo(403);
        assertThat(guard.check("localhost", Map.of("Sec-Fetch-Site", "same-site")::get).status()).isEqualTo(403);
        assertThat(guard.check("localhost", Map.of("Sec-Fetch-Site", "none")::get)).as("typed in").isNull();
        assertThat(guard.check("localhost", Map.of("Sec-Fetch-Site", "cross-site",
                "Origin", "http://localhost:8080")::get)).isNull();
    }

    @Test
    void theRightUserNameAndPasswordWhenAPasswordIsSet() {
        assertThat(guard().asksForLogin()).isFalse();
        properties.put("bridge.jolokia.password", "s3cret:with colon");
        JolokiaGuard guard = guard();
        assertThat(guard.asksForLogin()).isTrue();
        assertThat(guard.check("localhost", Map.of("Authorization", basic("operator:s3cret:with colon"))::get))
                .isNull();
        assertThat(guard.check("localhost", Map.of("Authorization", "basic "
                + Base64.getEncoder().encodeToString("operator:s3cret:with colon".getBytes(StandardCharsets.UTF_8)))::get))
                .as("the scheme in any case").isNull();
        for (String wrong : new String[] {basic("operator:s3cret"), basic("admin:s3cret:with colon"), "Basic !!!",
                "Bearer operator:s3cret:with colon"}) {
            assertThat(guard.check("localhost", Map.of("Authorization", wrong)::get)).as(wrong)
                    .isEqualTo(new JolokiaGuard.Refusal(401, "Jolokia needs the user name and password "
                            + "(bridge.jolokia.username, bridge.jolokia.password)"));
        }
        assertThat(guard.check("localhost", NO_HEADERS::get).status()).isEqualTo(401);
        assertThat(guard.check("evil.example", Map.of("Authorization", basic("operator:s3cret:with colon"))::get)
                .status()).as("credentials do not make up for a foreign host").isEqualTo(403);
    }

    @Test
    void anAllowedOriginMustBeJustAnOrigin() {
        properties.put("bridge.jolokia.allowed-origins", "https://hawtio.example.com/hawtio");
        assertThatThrownBy(this::guard).isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("invalid setting bridge.jolokia.allowed-origins='https://hawtio.example.com/hawtio': "
                        + "'https://hawtio.example.com/hawtio' is not an origin such as https://hawtio.example.com:8443");
    }

    private JolokiaGuard guard() {
        return JolokiaGuard.from(new Settings(properties::get));
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
