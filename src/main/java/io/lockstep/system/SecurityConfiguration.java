package io.lockstep.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
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
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * Two filter chains. Pages use form login and a session with CSRF protection on every change (htmx
 * sends the token from a meta tag). {@code /api/**} takes HTTP Basic or a personal API token
 * ({@code Authorization: Bearer lst_…}) on every request and never the session cookie, so a page of
 * another origin cannot borrow a logged-in user's session to call it. Tokens work on {@code /api/**}
 * only, never on pages. Reading
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

  static final String API = "/api/**";

  private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();
  private static final ApiSecurityProblems API_PROBLEMS = new ApiSecurityProblems();
  private static final HtmxLogin HTMX_LOGIN = new HtmxLogin("/login?expired");
  private static final AuthenticationEntryPoint PAGE_LOGIN = new LoginUrlAuthenticationEntryPoint("/login");
  private static final AccessDeniedHandler DENIED = new AccessDeniedHandlerImpl();

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
    filter.setRequestMatcher(PathPatternRequestMatcher.pathPattern(API));
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

  /**
   * The API: HTTP Basic or a bearer token on every request, and nothing else. It never reads or
   * creates a session, so the page's session cookie, which a browser attaches to any form another
   * page on the same site submits, authenticates nothing here; that is what keeps it free of CSRF
   * without tokens. A request a browser marks as sent by a page of another origin ({@code
   * Sec-Fetch-Site: same-site} or {@code cross-site}) is refused even with credentials: a browser may
   * hold a user's Basic credentials and attach them as it attaches a cookie. Scripts send no such
   * header.
   */
  @Bean
  @Order(1)
  SecurityFilterChain apiFilterChain(HttpSecurity http, AuthenticationManager authenticationManager,
      UserDetailsService users, LoginThrottle throttle, ApiTokens apiTokens, Clock clock,
      AuthenticationEventPublisher events) throws Exception {
    TokenAuthentication tokens = new TokenAuthentication(apiTokens, users, throttle, clock);
    http.securityMatcher(API)
        .authenticationManager(authenticationManager)
        // In the place of the CSRF filter, before any credential is looked at (and so before the
        // Basic challenge that would have the browser ask its user for a password).
        .addFilterAt(SecurityConfiguration::refuseOtherOrigins, CsrfFilter.class)
        .addFilterBefore(apiTokenFilter(tokens, events), BasicAuthenticationFilter.class)
        .authorizeHttpRequests(auth -> auth
            // Own API tokens: any role; the use case lets a user reach only their own.
            .requestMatchers(HttpMethod.POST, "/api/tokens").access(SecurityConfiguration::passwordLogin)
            .requestMatchers(HttpMethod.DELETE, "/api/tokens/*").authenticated()
            .requestMatchers(HttpMethod.GET, "/**").authenticated()
            .requestMatchers(HttpMethod.HEAD, "/**").authenticated()
            .anyRequest().hasAnyRole(Role.OPERATOR.name(), Role.APPROVER.name()))
        .httpBasic(basic -> basic.authenticationEntryPoint(API_PROBLEMS))
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
        .requestCache(cache -> cache.disable())
        // Scripts get 401 with a Basic challenge, never a redirect to the login page; 401 and 403
        // are RFC 9457 problems like every other API error.
        .exceptionHandling(e -> e.authenticationEntryPoint(API_PROBLEMS).accessDeniedHandler(API_PROBLEMS))
        // No session, so nothing for a forged request to ride on: see above.
        .csrf(csrf -> csrf.disable())
        .headers(SecurityConfiguration::headers);
    return http.build();
  }

  /**
   * Everything else: the pages, with form login and a session; HTTP Basic too, for scripts that
   * read a page. Every request that is not a GET or HEAD needs the CSRF token (htmx sends it from
   * the layout's meta tag, forms from a hidden field); there is no exception.
   */
  @Bean
  @Order(2)
  SecurityFilterChain pageFilterChain(HttpSecurity http, AuthenticationManager authenticationManager) throws Exception {
    http.authenticationManager(authenticationManager)
        .authorizeHttpRequests(auth -> auth
            .requestMatchers(PUBLIC).permitAll()
            .requestMatchers(HttpMethod.POST, "/tokens", "/tokens/*/revoke").authenticated()
            .requestMatchers(HttpMethod.GET, "/**").authenticated()
            .requestMatchers(HttpMethod.HEAD, "/**").authenticated()
            .requestMatchers("/logout").authenticated()
            .anyRequest().hasAnyRole(Role.OPERATOR.name(), Role.APPROVER.name()))
        .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
        .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
        .httpBasic(Customizer.withDefaults())
        // Only pages a person opened are returned to after a login: never the badge, a banner's
        // poll or an event stream (the login would land on a bare fragment).
        .requestCache(cache -> cache.requestCache(HtmxLogin.pageCache()))
        // htmx requests get 401 and HX-Redirect to the login page, which returns to the page they
        // came from; pages and the page's event streams go to the login page.
        .exceptionHandling(e -> e
            .defaultAuthenticationEntryPointFor(HTMX_LOGIN, HtmxLogin.HTMX)
            .defaultAuthenticationEntryPointFor(PAGE_LOGIN, AnyRequestMatcher.INSTANCE)
            .accessDeniedHandler(SecurityConfiguration::deniedOrLoggedOut))
        .headers(SecurityConfiguration::headers);
    return http.build();
  }

  /**
   * A change sent without a login is refused by the CSRF check before anything asks for a login:
   * the session that held the token is gone. That is an expired session, not an attack on a
   * person's session, so it goes to the login page (htmx: {@link HtmxLogin}); nothing was done.
   */
  private static void deniedOrLoggedOut(HttpServletRequest request, HttpServletResponse response,
      AccessDeniedException denied) throws IOException, ServletException {
    if (denied instanceof CsrfException && !TRUST.isAuthenticated(SecurityContextHolder.getContext().getAuthentication())) {
      AuthenticationException login = new InsufficientAuthenticationException("The session has expired.", denied);
      if (HtmxLogin.HTMX.matches(request)) {
        HTMX_LOGIN.commence(request, response, login);
      } else {
        PAGE_LOGIN.commence(request, response, login);
      }
      return;
    }
    // for the error page, which tells a stale CSRF token (reload the page) from a missing role
    request.setAttribute(WebAttributes.ACCESS_DENIED_403, denied);
    DENIED.handle(request, response, denied);
  }

  /**
   * Answers 403 to a request a browser says a page of another origin sent ({@code Sec-Fetch-Site}:
   * {@code same-site} or {@code cross-site}); the console's own pages send {@code same-origin}, an
   * address typed in sends {@code none}, scripts send nothing.
   */
  private static void refuseOtherOrigins(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String site = ((HttpServletRequest) request).getHeader("Sec-Fetch-Site");
    if ("same-site".equalsIgnoreCase(site) || "cross-site".equalsIgnoreCase(site)) {
      ((HttpServletResponse) response).sendError(HttpServletResponse.SC_FORBIDDEN,
          "The API does not take requests that pages of other sites or origins send.");
      return;
    }
    chain.doFilter(request, response);
  }

  private static void headers(HeadersConfigurer<HttpSecurity> headers) {
    headers
        .contentSecurityPolicy(csp -> csp.policyDirectives(
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                + "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"))
        .frameOptions(frame -> frame.deny());
  }
}
