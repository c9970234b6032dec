package io.celeriac.autoconfigure.security;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.celeriac.security.x509.Pem;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Reads the PEM text a {@code celeriac.security.*} property gives: the text itself, or
 * the content of the resources at a location (a pattern or a directory gives one text per
 * file, as Celery's certificate store reads a directory).
 *
 * @author Celeriac team
 */
final class PemSource {

	private final ResourcePatternResolver resources;

	PemSource(ResourcePatternResolver resources) {
		this.resources = resources;
	}

	/**
	 * Returns the texts of a property's value, each with where it came from.
	 * @param property the property, for the error message
	 * @param value its value: PEM text or a location
	 * @return the texts, at least one
	 * @throws MessageSigningConfigurationException if nothing can be read
	 */
	List<Text> read(String property, String value) {
		if (Pem.isPem(value)) {
			return List.of(new Text(value, "the PEM text of " + property));
		}
		String location = value.strip();
		List<Text> texts = new ArrayList<>();
		try {
			for (Resource resource : this.resources.getResources(location)) {
				if (!resource.exists()) {
					continue;
				}
				File file = resource.isFile() ? resource.getFile() : null;
				if (file != null && file.isDirectory()) {
					texts.addAll(directory(file.toPath()));
				}
				else {
					texts.add(new Text(resource.getContentAsString(StandardCharsets.US_ASCII),
							resource.getDescription()));
				}
			}
		}
		catch (IOException ex) {
			throw new MessageSigningConfigurationException(property,
					"names '" + location + "', which cannot be read: " + ex.getMessage(), ex);
		}
		if (texts.isEmpty()) {
			throw new MessageSigningConfigurationException(property, "names '" + location
					+ "', which does not exist (neither PEM text starting with '-----BEGIN' nor a readable resource;"
					+ " a file system path needs the 'file:' prefix)");
		}
		return texts;
	}

	private static List<Text> directory(Path directory) throws IOException {
		List<Text> texts = new ArrayList<>();
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
				texts.add(new Text(Files.readString(file, StandardCharsets.US_ASCII), file.toString()));
			}
		}
		return texts;
	}

	/**
	 * PEM text and where it was read.
	 *
	 * @param pem the text
	 * @param origin the resource or property it came from, for error messages
	 */
	record Text(String pem, String origin) {

	}

}
