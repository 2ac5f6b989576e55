package io.messagebridge.management;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The metric and label names the Grafana dashboard (monitoring/grafana/dashboards/bridge.json) queries, read from
 * every panel target's PromQL {@code expr} and the template variables' {@code label_values(...)}, so that a test can
 * check each against what the application exports. Reads the subset of PromQL a dashboard uses: selectors
 * ({@code name{label=~"..."}}), bare metric names, functions, aggregations with {@code by}/{@code without}, ranges,
 * binary operators and numbers.
 */
record DashboardQueries(List<Query> queries) {

    static final Path DASHBOARD = Path.of("monitoring/grafana/dashboards/bridge.json");

    /** One metric as a query names it, with the labels its selector matches on. */
    record Selector(String metric, Set<String> labels) {
    }

    /** The selectors of one expression and the labels it groups by ({@code by (...)}, {@code without (...)}...). */
    record Query(String expr, List<Selector> selectors, Set<String> grouping) {
    }

    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"[^\"]*\"");
    private static final Pattern NAME = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(?!\\w)(\\s*\\()?");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");

    static DashboardQueries read(Path dashboard) {
        try {
            return of(new ObjectMapper().readTree(dashboard.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DashboardQueries of(JsonNode dashboard) {
        List<Query> queries = new ArrayList<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            queries.add(parse(expr.asText()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            Matcher labelValues = LABEL_VALUES.matcher(text);
            if (labelValues.find()) {
                queries.add(new Query(text, List.of(new Selector(labelValues.group(1), Set.of(labelValues.group(2)))),
                        Set.of()));
            }
        }
        return new DashboardQueries(queries);
    }

    static Query parse(String expr) {
        String rest = RANGE.matcher(expr).replaceAll(" ");
        Set<String> grouping = new LinkedHashSet<>();
        Matcher groups = GROUPING.matcher(rest);
        while (groups.find()) {
            for (String label : groups.group(1).split(",")) {
                if (!label.isBlank()) {
                    grouping.add(label.trim());
                }
            }
        }
        rest = groups.replaceAll(" ");
        List<Selector> selectors = new ArrayList<>();
        Matcher selector = SELECTOR.matcher(rest);
        while (selector.find()) {
            Set<String> labels = new LinkedHashSet<>();
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                labels.add(matcher.group(1));
            }
            selectors.add(new Selector(selector.group(1), labels));
        }
        rest = selector.replaceAll(" ");
        Matcher name = NAME.matcher(rest);
        while (name.find()) {
            // a function or aggregation is followed by its parenthesis
            if (name.group(2) == null && !KEYWORDS.contains(name.group(1).toLowerCase())) {
                selectors.add(new Selector(name.group(1), Set.of()));
            }
        }
        return new Query(expr, selectors, grouping);
    }

    /** Every metric name any query uses. */
    Set<String> metrics() {
        Set<String> metrics = new LinkedHashSet<>();
        queries.forEach(query -> query.selectors().forEach(selector -> metrics.add(selector.metric())));
        return metrics;
    }

    /** Prometheus text format: each sample's metric name and the union of the label names it appears with. */
    static Map<String, Set<String>> exported(String scrape) {
        Map<String, Set<String>> exported = new HashMap<>();
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+\\S+.*$");
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
        for (String line : scrape.split("\n")) {
            Matcher matcher = sample.matcher(line);
            if (line.startsWith("#") || !matcher.matches()) {
                continue;
            }
            Set<String> labels = exported.computeIfAbsent(matcher.group(1), metric -> new LinkedHashSet<>());
            if (matcher.group(2) != null) {
                Matcher labelMatcher = label.matcher(matcher.group(2));
                while (labelMatcher.find()) {
                    labels.add(labelMatcher.group(1));
                }
            }
        }
        return exported;
    }
}
