package io.messagebridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

class JsonFieldsTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsStringAndNumberFields() {
        assertThat(JsonFields.requiredText(json("{\"orderId\":\"o-1\"}"), "orderId")).isEqualTo("o-1");
        assertThat(JsonFields.requiredText(json("{\"orderId\":42}"), "orderId")).isEqualTo("42");
        // read from the body or from its tree, a key is the same text
        for (String body : new String[] {"{\"lines\":[{\"orderId\":1}],\"orderId\":-0}", "{\"orderId\":7.50}",
                "{\"orderId\":1e3}", "{\"orderId\":12345678901234567890}", "{\"orderId\":\"\\u00e9t\u00e9\"}"}) {
            assertThat(JsonFields.requiredText(json(body), "orderId")).as(body)
                    .isEqualTo(JsonFields.requiredText(JsonFields.topLevelFields(json(body)), "orderId"));
        }
    }

    @Test
    void explainsWhatIsWrongWithABadBody() {
        assertThatThrownBy(() -> JsonFields.requiredText(new byte[0], "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("empty body, expected a JSON object");
        assertThatThrownBy(() -> JsonFields.requiredText((byte[]) null, "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("empty body, expected a JSON object");
        assertThatThrownBy(() -> JsonFields.requiredText(json("not json"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessageStartingWith("body is not valid JSON at line 1, column 5: ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> JsonFields.requiredText(json("[1,2]"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("body is JSON but not an object");
        assertThatThrownBy(() -> JsonFields.requiredText(json("[1,2"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessageStartingWith("body is not valid JSON");
        assertThatThrownBy(() -> JsonFields.requiredText(json("{\"orderId\":\"o-1\",\"total\":}"), "orderId"))
                .as("the key is there, the rest is broken").isInstanceOf(InvalidMessageException.class)
                .hasMessageStartingWith("body is not valid JSON");
        assertThatThrownBy(() -> JsonFields.requiredText(new byte[] {(byte) 0xC3, (byte) 0x28}, "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessageStartingWith("body is not valid JSON");
    }

    @Test
    void theTopLevelFieldsRefuseWhatReadingOneFieldRefusesAndKeepNothingNested() {
        for (String bad : new String[] {"not json", "[1,2]", "[1,2", "{\"a\":\"o-1\",\"total\":}", "{\"a\":1,\"a\":2}",
                "{\"a\":1,\"lines\":[{\"b\":1,\"b\":2}]}"}) {
            assertThatThrownBy(() -> JsonFields.topLevelFields(json(bad))).as(bad).isInstanceOf(InvalidMessageException.class)
                    .hasMessage(catchThrowable(() -> JsonFields.requiredText(json(bad), "a")).getMessage());
        }
        JsonNode order = JsonFields.topLevelFields(json("{\"lines\":[{\"sku\":\"A\"}],\"customer\":{\"id\":7},\"id\":\"o-1\"}"));
        assertThat(order.get("lines").isArray()).isTrue();
        assertThat(order.get("customer").isObject()).isTrue();
        assertThat(order.get("lines").size() + order.get("customer").size()).isZero();
        assertThat(JsonFields.requiredText(order, "id")).isEqualTo("o-1");
    }

    @Test
    void explainsWhatIsWrongWithTheField() {
        assertThatThrownBy(() -> JsonFields.requiredText(json("{\"total\":1}"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("no 'orderId' field");
        assertThatThrownBy(() -> JsonFields.requiredText(json("{\"orderId\":null}"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("no 'orderId' field");
        assertThatThrownBy(() -> JsonFields.requiredText(json("{\"orderId\":{\"a\":1}}"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("'orderId' must be a string or a number, not object");
        assertThatThrownBy(() -> JsonFields.requiredText(json("{\"orderId\":\" \"}"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("'orderId' is empty");
        assertThatThrownBy(() -> JsonFields.requiredText(json("{\"orderId\":\"a\",\"orderId\":\"b\"}"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("Duplicate field 'orderId'");
        assertThatThrownBy(() -> JsonFields.requiredText(json("{\"orderId\":\"a\",\"x\":{\"y\":1,\"y\":2}}"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("Duplicate field 'y'");
        assertThatThrownBy(() -> JsonFields.requiredText(json("{\"orderId\":[1]}"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("'orderId' must be a string or a number, not array");
        assertThatThrownBy(() -> JsonFields.requiredText(json("{\"orderId\":true}"), "orderId"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("'orderId' must be a string or a number, not boolean");
    }

    @Test
    void routingKeysAreLowerCasedAndMustNotChangeTopicMatching() {
        assertThat(RoutingKeys.fromPattern(json("{\"status\":\"DELIVERED\"}"), "shipment.<status>"))
                .isEqualTo("shipment.delivered");
        assertThat(RoutingKeys.fromPattern(json("{\"status\":\" In_Transit \"}"), "shipment.<status>"))
                .isEqualTo("shipment.in_transit");
        for (String bad : new String[] {"a.b", "a*", "#", "in transit"}) {
            assertThatThrownBy(() -> RoutingKeys.fromPattern(json("{\"status\":\"" + bad + "\"}"), "shipment.<status>"))
                    .as(bad).isInstanceOf(InvalidMessageException.class).hasMessageContaining("cannot be part of a routing key");
        }
    }

    @Test
    void anOptionalFieldGivesNoValueWhenItIsNotTextOrANumber() {
        JsonNode order = JsonFields.topLevelFields(json("{\"status\":\"new\",\"n\":3,\"gone\":null,\"obj\":{\"a\":1}}"));
        assertThat(JsonFields.optionalText(order, "status")).isEqualTo("new");
        assertThat(JsonFields.optionalText(order, "n")).isEqualTo("3");
        assertThat(JsonFields.optionalText(order, "gone")).isNull();
        assertThat(JsonFields.optionalText(order, "missing")).isNull();
        assertThat(JsonFields.optionalText(order, "obj")).isNull();
    }

    @Test
    void aNumberFieldIsANumberOrAStringOfOne() {
        JsonNode order = JsonFields.topLevelFields(json("{\"a\":1500,\"b\":\"999.99\",\"c\":-2.5e3,\"d\":\"lots\",\"e\":true}"));
        assertThat(JsonFields.requiredNumber(order, "a")).isEqualByComparingTo(new BigDecimal("1500"));
        assertThat(JsonFields.requiredNumber(order, "b")).isEqualByComparingTo(new BigDecimal("999.99"));
        assertThat(JsonFields.requiredNumber(order, "c")).isEqualByComparingTo(new BigDecimal("-2500"));
        assertThatThrownBy(() -> JsonFields.requiredNumber(order, "d"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("'d' must be a number: 'lots'");
        assertThatThrownBy(() -> JsonFields.requiredNumber(order, "e"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("'e' must be a string or a number, not boolean");
        assertThatThrownBy(() -> JsonFields.requiredNumber(order, "f"))
                .isInstanceOf(InvalidMessageException.class).hasMessage("no 'f' field");
    }

    @Test
    void aMapFromAnUnmarshalReadsLikeTheBodyItCameFrom() {
        JsonNode tree = JsonFields.topLevelFields(java.util.Map.of("orderId", "o-1", "total", 12.5));
        assertThat(JsonFields.requiredText(tree, "orderId")).isEqualTo("o-1");
        assertThat(JsonFields.requiredNumber(tree, "total")).isEqualByComparingTo(new BigDecimal("12.5"));
    }
}
