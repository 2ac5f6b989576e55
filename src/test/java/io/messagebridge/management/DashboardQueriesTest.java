package io.messagebridge.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import io.messagebridge.management.DashboardQueries.Query;
import io.messagebridge.management.DashboardQueries.Selector;
import org.junit.jupiter.api.Test;

/**
 * The reading of PromQL that MonitoringIT relies on to find the dashboard's metrics and labels, and the dashboard's
 * shape: every panel filters by the route variable, and the variable lists the routes the application exports.
 */
class DashboardQueriesTest {

    @Test
    void findsMetricsAndTheLabelsTheyAreSelectedAndGroupedBy() {
        Query query = DashboardQueries.parse("sum by (routeId) (rate(bridge_messages_forwarded_total{routeId=~\"$route\", "
                + "queue!=\"x\"}[$__rate_interval])) / on(routeId) group_left max without (job) (up) > 0.5e3");
        assertThat(query.selectors()).containsExactly(
                new Selector("bridge_messages_forwarded_total", Set.of("routeId", "queue")), new Selector("up", Set.of()));
        assertThat(query.grouping()).containsExactlyInAnyOrder("routeId", "job");
    }

    @Test
    void readsTheExportedMetricsAndTheirLabelsFromAScrape() {
        String scrape = """
                # HELP bridge_queue_depth
                # TYPE bridge_queue_depth gauge
                bridge_queue_depth{queue="a,b=\\"c\\"",routeId="orders-to-kafka"} 5.0
                jvm_threads_live_threads 73.0
                """;
        assertThat(DashboardQueries.exported(scrape)).containsOnlyKeys("bridge_queue_depth", "jvm_threads_live_threads")
                .containsEntry("bridge_queue_depth", Set.of("queue", "routeId"))
                .containsEntry("jvm_threads_live_threads", Set.of());
    }

    @Test
    void everyRoutePanelOfTheDashboardFollowsTheRouteVariable() {
        DashboardQueries dashboard = DashboardQueries.read(DashboardQueries.DASHBOARD);
        List<Query> routeQueries = dashboard.queries().stream()
                .filter(query -> query.selectors().stream().anyMatch(selector -> selector.labels().contains("routeId")))
                .toList();
        assertThat(routeQueries).as("the variable's own query and the ten route queries").hasSize(11);
        assertThat(routeQueries).filteredOn(query -> !query.expr().startsWith("label_values"))
                .allSatisfy(query -> assertThat(query.expr()).contains("routeId=~\"$route\""));
        assertThat(dashboard.queries()).extracting(Query::expr)
                .contains("label_values(bridge_messages_forwarded_total, routeId)");
    }
}
