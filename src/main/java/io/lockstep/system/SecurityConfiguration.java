package io.lockstep.system;

import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Pages use form login with CSRF protection (htmx sends the token from a meta tag); {@code /api/**}
 * uses HTTP Basic or a personal API token ({@code Authorization: Bearer lst_…}) without CSRF,
 * since scripts hold no session. Tokens work on {@code /api/**} only, never on pages. Reading
 * needs any role; changing anything needs OPERATOR or APPROVER, finer rules sit on the use cases.
 * The exception: every user manages their own API tokens, VIEWERs included, but creating one
 * takes a password login, so a leaked token cannot mint successors that outlive its revocation.
 */
@Configuration
@EnableMethodSecurity
class SecurityConfiguration {

  static final String[] PUBLIC = {
    "/login", "/webjars/**", "/css/**", "/js/**", "/img/**", "/favicon.ico", "/actuator/health", "/error",
    "/v3/api-docs", "/v3/api-docs/**"
  };

  private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();
  private static final ApiSecurityProblems API_PROBLEMS = new ApiSecurityProblems();

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

  /**
   * Authenticates {@code /api/**} requests that carry a bearer token, before HTTP Basic; without a
   * bearer header it does nothing. A request authenticated this way keeps no session; one whose
   * token does not authenticate ends here with 401 (see {@link InvalidTokenResponse}). Not a bean:
   * as a bean, Spring Boot would also register it with the servlet container, for every URL.
   */
  private static AuthenticationFilter apiTokenFilter(TokenAuthentication tokens, AuthenticationEventPublisher events) {
    ProviderManager manager = new ProviderManager(tokens);
    manager.setAuthenticationEventPublisher(events);
    AuthenticationFilter filter = new AuthenticationFilter(manager, new BearerTokenConverter());
    filter.setRequestMatcher(PathPatternRequestMatcher.pathPattern("/api/**"));
    // Go on down the chain to the API; the default handler would redirect to a saved request.
    filter.setSuccessHandler((request, response, authentication) -> { });
    filter.setFailureHandler(new InvalidTokenResponse());
    return filter;
  }

  /** Logged in with a password (form or HTTP Basic), not with an API token. */
  private static AuthorizationDecision passwordLogin(Supplier<? extends Authentication> authentication,
      RequestAuthorizationContext request) {
    Authentication user = authentication.get();
    return new AuthorizationDecision(TRUST.isAuthenticated(user) && !(user instanceof ApiTokenAuthentication));
  }

  @Bean
  SecurityFilterChain securityFilterChain(HttpSecurity http, AuthenticationManager authenticationManager,
      UserDetailsService users, LoginThrottle throttle, ApiTokens apiTokens, Clock clock,
      AuthenticationEventPublisher events) throws Exception {
    TokenAuthentication tokens = new TokenAuthentication(apiTokens, users, throttle, clock);
    http.authenticationManager(authenticationManager)
        .addFilterBefore(apiTokenFilter(tokens, events), BasicAuthenticationFilter.class)
        .authorizeHttpRequests(auth -> auth
            .requestMatchers(PUBLIC).permitAll()
            // Own API tokens: any role; the use case lets a user reach only their own.
            .requestMatchers(HttpMethod.POST, "/api/tokens").access(SecurityConfiguration::passwordLogin)
            .requestMatchers(HttpMethod.DELETE, "/api/tokens/*").authenticated()
            .requestMatchers(HttpMethod.POST, "/tokens", "/tokens/*/revoke").authenticated()
            .requestMatchers(HttpMethod.GET, "/**").authenticated()
            .requestMatchers(HttpMethod.HEAD, "/**").authenticated()
            .requestMatchers("/logout").authenticated()
            .anyRequest().hasAnyRole(Role.OPERATOR.name(), Role.APPROVER.name()))
        .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
        .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
        .httpBasic(Customizer.withDefaults())
        // Scripts get 401 with a Basic challenge, never a redirect to the login page, and 401/403
        // as problems (ApiSecurityProblems); every other request (pages, htmx, the page's event
        // streams) goes to the login page.
        .exceptionHandling(e -> e
            .defaultAuthenticationEntryPointFor(API_PROBLEMS, PathPatternRequestMatcher.pathPattern("/api/**"))
            .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), AnyRequestMatcher.INSTANCE)
            .defaultAccessDeniedHandlerFor(API_PROBLEMS, PathPatternRequestMatcher.pathPattern("/api/**")))
        .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**"))
        .headers(headers -> headers
            .contentSecurityPolicy(csp -> csp.policyDirectives(
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                    + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"))
            .frameOptions(frame -> frame.deny()));
    return http.build();
  }
}
