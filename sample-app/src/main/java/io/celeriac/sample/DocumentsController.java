package io.celeriac.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Serves the sample's documents as plain text at {@code /documents/{name}}, the resources
 * that the {@code text-statistics} operation processes; {@code latest} redirects to the
 * newest release notes.
 *
 * @author Celeriac team
 */
@RestController
@RequestMapping("/documents")
class DocumentsController {

	static final List<String> NAMES = List.of("celery.txt", "celeriac.txt", "release-notes-0.1.txt");

	static final String LATEST = "release-notes-0.1.txt";

	@GetMapping
	List<String> names() {
		return NAMES;
	}

	@GetMapping("/latest")
	ResponseEntity<Void> latest() {
		URI target = ServletUriComponentsBuilder.fromCurrentContextPath().path("/documents/" + LATEST).build().toUri();
		return ResponseEntity.status(302).location(target).build();
	}

	@GetMapping("/{name}")
	ResponseEntity<String> document(@PathVariable String name) throws IOException {
		if (!NAMES.contains(name)) {
			return ResponseEntity.notFound().build();
		}
		try (InputStream input = new ClassPathResource("documents/" + name).getInputStream()) {
			return ResponseEntity.ok()
				.contentType(MediaType.TEXT_PLAIN)
				.body(new String(input.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

}
