package io.celeriac.dashboard;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Loads Spring Security's deferred CSRF token on every dashboard request so that its
 * cookie is written before the pages' scripts need it: the pages send it back with each
 * {@code POST}. Belongs after Spring Security's {@code CsrfFilter} in the dashboard's
 * filter chain.
 *
 * @author Celeriac team
 */
public class CsrfCookieFilter extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain filterChain)
			throws ServletException, IOException {
		Object token = request.getAttribute(CsrfToken.class.getName());
		if (token instanceof CsrfToken csrfToken) {
			csrfToken.getToken();
		}
		filterChain.doFilter(request, response);
	}

}
