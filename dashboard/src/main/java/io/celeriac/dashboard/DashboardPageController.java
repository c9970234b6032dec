package io.celeriac.dashboard;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Answers the dashboard's own path: {@code <path>} redirects to {@code <path>/} (so that
 * the pages' relative links resolve under it), which serves the overview page.
 *
 * @author Celeriac team
 */
@Controller
public class DashboardPageController {

	private final Resource index = new ClassPathResource("META-INF/celeriac/dashboard/index.html",
			DashboardPageController.class.getClassLoader());

	/**
	 * Redirects to the path with a trailing slash.
	 * @param request the request
	 * @return the redirect
	 */
	@GetMapping("${celeriac.dashboard.path:/celeriac}")
	public ResponseEntity<Void> redirect(HttpServletRequest request) {
		String query = (request.getQueryString() != null) ? "?" + request.getQueryString() : "";
		return ResponseEntity.status(HttpStatus.FOUND)
			.location(URI.create(request.getRequestURI() + "/" + query))
			.build();
	}

	/**
	 * Serves the overview page.
	 * @return the page
	 */
	@GetMapping("${celeriac.dashboard.path:/celeriac}/")
	public ResponseEntity<Resource> index() {
		return ResponseEntity.ok()
			.contentType(MediaType.TEXT_HTML)
			.cacheControl(CacheControl.noCache())
			.body(this.index);
	}

}
