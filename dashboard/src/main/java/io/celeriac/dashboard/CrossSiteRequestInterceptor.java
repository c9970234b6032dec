package io.celeriac.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a dashboard action (any request but {@code GET}, {@code HEAD}, {@code OPTIONS}
 * and {@code TRACE}) that another site's page could have made the browser send, with or
 * without Spring Security:
 * <ul>
 * <li>a request whose {@code Sec-Fetch-Site} header is not {@code same-origin}, or whose
 * {@code Origin} header is not the request's own origin (scheme, host and port as the
 * application sees them), unless the other header says {@code same-origin}: 403;</li>
 * <li>a request without a JSON {@code Content-Type}: 415.</li>
 * </ul>
 * A request with neither {@code Origin} nor {@code Sec-Fetch-Site} (curl, a script) is
 * accepted with a JSON content type: a browser sends one of them with every cross-origin
 * {@code POST}, and a cross-site page can send JSON only after a CORS preflight, which
 * the dashboard never allows.
 *
 * @author Celeriac team
 */
public class CrossSiteRequestInterceptor implements HandlerInterceptor {

	private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

	private static final String SEC_FETCH_SITE = "Sec-Fetch-Site";

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws IOException {
		if (READS.contains(request.getMethod())) {
			return true;
		}
		String crossSite = crossSite(request);
		if (crossSite != null) {
			refuse(response, HttpStatus.FORBIDDEN, crossSite);
			return false;
		}
		String notJson = notJson(request.getContentType());
		if (notJson != null) {
			refuse(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, notJson);
			return false;
		}
		return true;
	}

	/**
	 * Says why a request is not known to come from the dashboard's own origin.
	 * @param request the request
	 * @return the reason, or {@code null} when it is same-origin or carries neither
	 * header
	 */
	private static @Nullable String crossSite(HttpServletRequest request) {
		String fetchSite = request.getHeader(SEC_FETCH_SITE);
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if ("same-origin".equals(fetchSite) || (origin != null && sameOrigin(request))) {
			return null;
		}
		if (fetchSite == null && origin == null) {
			return null;
		}
		String own = ownOrigin(request);
		String seen = (fetchSite != null) ? SEC_FETCH_SITE + ": " + fetchSite : "Origin: " + origin;
		return "Refused a cross-site dashboard action (" + seen + "; this application's origin is " + own
				+ "). Dashboard actions are taken from the dashboard's own pages (Sec-Fetch-Site: same-origin, or an"
				+ " Origin header equal to " + own + "), or from a client that sends neither header, with"
				+ " Content-Type: application/json. Behind a proxy, let the application see the browser's scheme,"
				+ " host and port (server.forward-headers-strategy).";
	}

	private static boolean sameOrigin(HttpServletRequest request) {
		try {
			return !CorsUtils.isCorsRequest(request);
		}
		catch (IllegalArgumentException ex) {
			// a malformed Origin (or "null") is not this application's origin
			return false;
		}
	}

	private static String ownOrigin(HttpServletRequest request) {
		String scheme = request.getScheme();
		int port = request.getServerPort();
		boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
		return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
	}

	private static @Nullable String notJson(@Nullable String contentType) {
		if (contentType != null) {
			try {
				MediaType type = MediaType.parseMediaType(contentType);
				if (type.getType().equals("application")
						&& (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
					return null;
				}
			}
			catch (InvalidMediaTypeException ex) {
				// refused below, as any other content type
			}
		}
		return "Refused a dashboard action with Content-Type " + ((contentType != null) ? contentType : "(none)")
				+ ": dashboard actions take Content-Type: application/json (a cross-site HTML form cannot send"
				+ " it), e.g. curl -X POST -H 'Content-Type: application/json' -d '{}' ...";
	}

	private static void refuse(HttpServletResponse response, HttpStatus status, String reason) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter().write("{\"error\":" + jsonString(reason) + "}");
	}

	private static String jsonString(String text) {
		StringBuilder json = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> json.append("\\\"");
				case '\\' -> json.append("\\\\");
				default -> {
					if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
						json.append(String.format("\\u%04x", (int) c));
					}
					else {
						json.append(c);
					}
				}
			}
		}
		return json.append('"').toString();
	}

}
