package io.messagebridge.failures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.messagebridge.mapping.InvalidMessageException;
import io.messagebridge.mapping.JsonFields;
import io.messagebridge.mapping.RoutingKeys;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.TypeConversionException;
import org.junit.jupiter.api.Test;

class LoggedReasonTest {

    private static final String MARKER = "secret7f3a";

    @Test
    void aReasonThatQuotesTheMessageIsLoggedWithoutTheQuote() {
        Throwable notANumber = catchThrowable(() -> JsonFields.requiredNumber(
                JsonFields.topLevelFields(bytes("{\"total\":\"" + MARKER + "\"}")), "total"));
        assertThat(notANumber).hasMessage("'total' must be a number: '" + MARKER + "'");
        assertThat(LoggedReason.of(notANumber)).isEqualTo("'total' must be a number");

        Throwable badKey = catchThrowable(() -> RoutingKeys.fromPattern(bytes("{\"region\":\"a." + MARKER + "\"}"),
                "order.<region>"));
        assertThat(badKey).hasMessageContaining(MARKER);
        assertThat(LoggedReason.of(badKey)).isEqualTo("'region' cannot be part of a routing key (it has a dot, *, # or a space)");

        Throwable notJson = catchThrowable(() -> JsonFields.topLevelFields(bytes("{\"a\": " + MARKER + "}")));
        assertThat(notJson).hasMessageContaining(MARKER);
        assertThat(LoggedReason.of(notJson)).matches("body is not valid JSON at line 1, column \\d+");
    }

    @Test
    void parsersAndConvertersAreToldByKindAndPlaceEvenWhenWrapped() {
        Throwable mapping = catchThrowable(() -> new ObjectMapper().readValue("{\"n\":\"" + MARKER + "\"}", Numbered.class));
        assertThat(mapping).hasMessageContaining(MARKER);
        assertThat(LoggedReason.of(new RuntimeCamelException(mapping))).doesNotContain(MARKER)
                .startsWith("InvalidFormatException at line 1");

        TypeConversionException conversion = new TypeConversionException(MARKER, BigDecimal.class,
                new NumberFormatException("For input string: " + MARKER));
        assertThat(conversion).hasMessageContaining(MARKER);
        assertThat(LoggedReason.of(conversion)).isEqualTo("cannot convert java.lang.String to java.math.BigDecimal");
    }

    @Test
    void otherFailuresKeepTheirMessage() {
        assertThat(LoggedReason.of(new IllegalStateException("Kafka unreachable"))).isEqualTo("Kafka unreachable");
        assertThat(LoggedReason.of(new InvalidMessageException("no 'orderId' field"))).isEqualTo("no 'orderId' field");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    record Numbered(int n) {
    }
}
