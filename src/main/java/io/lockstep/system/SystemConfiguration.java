package io.lockstep.system;

import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.CookieLocaleResolver;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/**
 * The clock every module reads time from (tests replace it), and the locale: taken from the
 * browser's Accept-Language, switched with {@code ?lang=zh-CN} or {@code ?lang=en} and remembered
 * in a cookie.
 */
@Configuration
class SystemConfiguration implements WebMvcConfigurer {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Publishes Spring Security's refusals (a signed-in user without the role a request needs, on a
   * URL or a method) as {@code AuthorizationDeniedEvent}s, so that the audit trail records them:
   * a refusal is evidence. Granted requests publish nothing.
   */
  @Bean
  AuthorizationEventPublisher authorizationEventPublisher(ApplicationEventPublisher events) {
    return new SpringAuthorizationEventPublisher(events);
  }

  @Bean
  LocaleResolver localeResolver() {
    CookieLocaleResolver resolver = new CookieLocaleResolver("lockstep-lang");
    return resolver;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    LocaleChangeInterceptor interceptor = new LocaleChangeInterceptor();
    interceptor.setParamName("lang");
    interceptor.setIgnoreInvalidLocale(true);
    registry.addInterceptor(interceptor);
  }
}
