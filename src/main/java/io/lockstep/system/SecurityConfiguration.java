package io.lockstep.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Pages use form login with CSRF protection (htmx sends the token from a meta tag); {@code /api/**}
 * uses HTTP Basic without CSRF, since scripts hold no session. Reading needs any role; changing
 * anything needs OPERATOR or APPROVER, finer rules sit on the use cases.
 */
@Configuration
@EnableMethodSecurity
class SecurityConfiguration {

  static final String[] PUBLIC = {
    "/login", "/webjars/**", "/css/**", "/js/**", "/img/**", "/favicon.ico", "/actuator/health", "/error",
    "/v3/api-docs", "/v3/api-docs/**"
  };

  @Bean
  UserDetailsService userDetailsService(SecurityProperties properties) {
    return UserAccounts.from(properties);
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  AuthenticationManager authenticationManager(UserDetailsService users, PasswordEncoder encoder,
      LoginThrottle throttle, AuthenticationEventPublisher events) {
    DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
    passwords.setPasswordEncoder(encoder);
    ProviderManager manager = new ProviderManager(new ThrottledAuthentication(passwords, throttle));
    manager.setAuthenticationEventPublisher(events);
    return manager;
  }

  private static BasicAuthenticationEntryPoint apiEntryPoint() {
    BasicAuthenticationEntryPoint entryPoint = new BasicAuthenticationEntryPoint();
    entryPoint.setRealmName("Lockstep");
    return entryPoint;
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, AuthenticationManager authenticationManager)
      throws Exception {
    http.authenticationManager(authenticationManager)
        .authorizeHttpRequests(auth -> auth
            .requestMatchers(PUBLIC).permitAll()
            .requestMatchers(HttpMethod.GET, "/**").authenticated()
            .requestMatchers(HttpMethod.HEAD, "/**").authenticated()
            .requestMatchers("/logout").authenticated()
            .anyRequest().hasAnyRole(Role.OPERATOR.name(), Role.APPROVER.name()))
        .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
        .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
        .httpBasic(Customizer.withDefaults())
        // Scripts get 401 with a Basic challenge, never a redirect to the login page; every
        // other request (pages, htmx, the page's event streams) goes to the login page.
        .exceptionHandling(e -> e
            .defaultAuthenticationEntryPointFor(apiEntryPoint(), PathPatternRequestMatcher.pathPattern("/api/**"))
            .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), AnyRequestMatcher.INSTANCE))
        .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**"))
        .headers(headers -> headers
            .contentSecurityPolicy(csp -> csp.policyDirectives(
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                    + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"))
            .frameOptions(frame -> frame.deny()));
    return http.build();
  }
}
