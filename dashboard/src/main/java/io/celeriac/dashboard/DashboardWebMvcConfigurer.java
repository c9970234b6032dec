package io.celeriac.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the dashboard's pages, styles and scripts from the class path under the
 * dashboard's path, and the uPlot WebJar under {@code <path>/webjars/uplot/}; every
 * request under the path passes the {@link CrossSiteRequestInterceptor}.
 *
 * @author Celeriac team
 */
public class DashboardWebMvcConfigurer implements WebMvcConfigurer {

	/**
	 * Where the pages live on the class path.
	 */
	public static final String LOCATION = "classpath:/META-INF/celeriac/dashboard/";

	private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

	private final String path;

	private final CrossSiteRequestInterceptor crossSite;

	/**
	 * Creates the configurer.
	 * @param path the dashboard's path, e.g. {@code /celeriac}
	 * @param crossSite refuses the actions a cross-site page could have sent
	 */
	public DashboardWebMvcConfigurer(String path, CrossSiteRequestInterceptor crossSite) {
		this.path = path;
		this.crossSite = crossSite;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.crossSite).addPathPatterns(this.path, this.path + "/**");
	}

	@Override
	public void addResourceHandlers(ResourceHandlerRegistry registry) {
		registry.addResourceHandler(this.path + "/**")
			.addResourceLocations(LOCATION)
			.setCacheControl(CacheControl.noCache());
		String uplot = uplotVersion();
		if (uplot != null) {
			registry.addResourceHandler(this.path + "/webjars/uplot/**")
				.addResourceLocations("classpath:/META-INF/resources/webjars/uplot/" + uplot + "/")
				.setCacheControl(CacheControl.noCache());
		}
	}

	/**
	 * Reads the version of the uPlot WebJar on the class path.
	 * @return the version, or {@code null} if the WebJar is not there
	 */
	static @Nullable String uplotVersion() {
		ClassPathResource pom = new ClassPathResource(UPLOT_POM, DashboardWebMvcConfigurer.class.getClassLoader());
		if (!pom.exists()) {
			return null;
		}
		try (InputStream input = pom.getInputStream()) {
			Properties properties = new Properties();
			properties.load(input);
			return properties.getProperty("version");
		}
		catch (IOException ex) {
			return null;
		}
	}

}
