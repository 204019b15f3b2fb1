package io.lockstep.web;

import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The login form; shows why the last attempt failed (bad credentials or throttled). */
@Controller
class LoginController {

  static final String PAGE = "login";

  @GetMapping("/login")
  String login(@RequestParam(required = false) String error, HttpSession session, Model model) {
    if (error != null && session != null
        && session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof AuthenticationException e) {
      model.addAttribute("loginError", e instanceof org.springframework.security.authentication.LockedException
          ? e.getMessage() : null);
    }
    return PAGE;
  }
}
