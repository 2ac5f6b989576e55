package io.messagebridge.routefiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.CliConnector;
import org.junit.jupiter.api.Test;

/**
 * The context a route file is checked in (validate, hot reload) is no application of its own to Camel JBang: its
 * connector would share the running application's ~/.camel/&lt;pid&gt; files and delete them on close, which stops it.
 */
class OfflineContextTest {

    @Test
    void camelJBangDoesNotSeeTheContextARouteFileIsCheckedIn() throws Exception {
        try (DefaultCamelContext context = OfflineContext.create("classpath:application.properties", new Properties(),
                List.of())) {
            context.start();

            assertThat(context.hasService(CliConnector.class)).isNull();
        }
    }
}
