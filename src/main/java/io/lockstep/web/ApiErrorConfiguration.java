package io.lockstep.web;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Where errors that Spring MVC never sees are answered: the {@code /error} path (Boot's error
 * controller, with problems for {@code /api}) and Tomcat's own error report (which renders HTML
 * for requests it refuses before the application: replaced by {@link ApiErrorReportValve}).
 */
@Configuration(proxyBeanMethods = false)
class ApiErrorConfiguration {

  @Bean
  ApiErrorController apiErrorController(ErrorAttributes attributes,
      org.springframework.boot.autoconfigure.web.WebProperties web, ObjectProvider<ErrorViewResolver> resolvers,
      ApiFailures failures) {
    return new ApiErrorController(attributes, web.getError(), resolvers.orderedStream().toList(), failures);
  }

  /** After Boot's customizer, which puts a plain {@link ErrorReportValve} on the host. */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> apiErrorReports() {
    return new ErrorReports();
  }

  private static final class ErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

      @Override
      public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
      }

      @Override
      public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
          if (context.getParent() instanceof StandardHost host) {
            Pipeline pipeline = host.getPipeline();
            for (Valve valve : pipeline.getValves()) {
              if (valve instanceof ErrorReportValve) {
                pipeline.removeValve(valve);
              }
            }
            pipeline.addValve(new ApiErrorReportValve());
            // Else the host adds a plain one of its own when it starts.
            host.setErrorReportValveClass(ApiErrorReportValve.class.getName());
          }
        });
      }
  }
}
