package io.messagebridge.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {

    private final SvgChart chart = new SvgChart("Throughput <app> & raw", "messages per second", "application",
            "raw clients")
            .group("RabbitMQ → Kafka\nwarm", 18_000, 12_000)
            .group("Kafka → RabbitMQ\nwarm", 6_000, 9_000);

    @Test
    void isAnSvgDocumentTheJdkParses() throws Exception {
        Document svg = parse(chart.toSvg());

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        assertThat(svg.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Throughput <app> & raw");
    }

    @Test
    void barsAreProportionalToTheirValuesOnAnAxisFromZero() throws Exception {
        List<Element> bars = bars(parse(chart.toSvg()));

        assertThat(bars).extracting(bar -> bar.getAttribute("data-value"))
                .containsExactly("18000.0", "12000.0", "6000.0", "9000.0");
        assertThat(chart.axisMaximum()).isEqualTo(20_000);
        for (Element bar : bars) {
            double value = Double.parseDouble(bar.getAttribute("data-value"));
            double height = Double.parseDouble(bar.getAttribute("height"));
            assertThat(height).isCloseTo(SvgChart.PLOT_HEIGHT * value / 20_000, within(0.01));
            // every bar stands on the same baseline
            assertThat(Double.parseDouble(bar.getAttribute("y")) + height).isCloseTo(70 + SvgChart.PLOT_HEIGHT,
                    within(0.01));
        }
        assertThat(bars).extracting(bar -> bar.getAttribute("data-series"))
                .containsExactly("application", "raw clients", "application", "raw clients");
        assertThat(bars.get(0).getAttribute("fill")).isNotEqualTo(bars.get(1).getAttribute("fill"))
                .isEqualTo(bars.get(2).getAttribute("fill"));
    }

    @Test
    void labelsNameTheSeriesTheGroupsTheValuesAndTheUnit() throws Exception {
        List<String> texts = texts(parse(chart.toSvg()));

        assertThat(texts).contains("Throughput <app> & raw", "messages per second", "application", "raw clients",
                "RabbitMQ → Kafka", "Kafka → RabbitMQ", "warm", "18,000", "12,000", "6,000", "9,000",
                // the axis ticks
                "0", "4,000", "20,000");
    }

    @Test
    void aValueThatWasNotMeasuredGetsNoBarButALabel() throws Exception {
        SvgChart latency = new SvgChart("Latency", "milliseconds", "application", "raw clients")
                .group("p50", 14.5, Double.NaN).group("max", 69.0, 0);

        Document svg = parse(latency.toSvg());

        assertThat(bars(svg)).extracting(bar -> bar.getAttribute("data-value")).containsExactly("14.5", "69.0");
        assertThat(latency.axisMaximum()).isEqualTo(100);
        assertThat(texts(svg)).contains("14.5", "69", "p50", "max").filteredOn("n/a"::equals).hasSize(2);
    }

    @Test
    void aGroupNeedsOneValuePerSeries() {
        assertThatThrownBy(() -> new SvgChart("t", "u", "a", "b").group("g", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("g: 1 values for 2 series");
    }

    @Test
    void theBenchmarkWritesTheChartsOfTheScenariosThatRanIntoEachDirectory(@TempDir Path target,
            @TempDir Path docs) throws Exception {
        BenchmarkCharts charts = new BenchmarkCharts();
        charts.throughput(Direction.RABBITMQ_TO_KAFKA, "warm", 20_000, 16_000);
        charts.latency(Direction.KAFKA_TO_RABBITMQ, Contender.APPLICATION, 15.8, 20.1, 35.8, 62.8);
        charts.latency(Direction.KAFKA_TO_RABBITMQ, Contender.RAW, 5.7, 9.0, 25.2, 41.6);

        List<Path> written = charts.write(List.of(target, docs));

        assertThat(written).containsExactly(target.resolve("throughput.svg"),
                target.resolve("latency-kafka-to-rabbitmq.svg"), docs.resolve("throughput.svg"),
                docs.resolve("latency-kafka-to-rabbitmq.svg"));
        Document latency = parse(Files.readString(docs.resolve("latency-kafka-to-rabbitmq.svg")));
        assertThat(texts(latency)).contains("Latency Kafka → RabbitMQ, source to destination", "application",
                "raw clients", "p50", "p90", "p99", "max");
        assertThat(bars(latency)).extracting(bar -> bar.getAttribute("data-group") + "/"
                + bar.getAttribute("data-series") + "=" + bar.getAttribute("data-value"))
                .containsExactly("p50/application=15.8", "p50/raw clients=5.7", "p90/application=20.1",
                        "p90/raw clients=9.0", "p99/application=35.8", "p99/raw clients=25.2",
                        "max/application=62.8", "max/raw clients=41.6");
        assertThat(texts(parse(Files.readString(target.resolve("throughput.svg"))))).contains("20,000", "16,000");
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> bars(Document svg) {
        List<Element> bars = new ArrayList<>();
        NodeList rects = svg.getElementsByTagName("rect");
        for (int i = 0; i < rects.getLength(); i++) {
            Element rect = (Element) rects.item(i);
            if (rect.getAttribute("class").equals("bar")) {
                bars.add(rect);
            }
        }
        return bars;
    }

    private static List<String> texts(Document svg) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = svg.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
