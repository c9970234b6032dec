package io.celeriac.sample;

import java.util.List;
import java.util.Map;

import io.celeriac.cache.spring.CacheRegionCacheManager;
import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.cache.CacheManager;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls the sample's {@code @Cacheable} endpoint on the in-memory default and on Redis:
 * the cache manager is the regions', the second call is a hit, eviction recomputes, and
 * the statistics endpoint and the dashboard count it under the namespace {@code spring}.
 *
 * @author Celeriac team
 */
@RealServices
class SpringCacheSampleTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Test
	void theSlowCubeIsCachedInMemoryByDefault() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			showsSpringsCacheOnTheRegions(context);
		}
	}

	@Test
	void theSlowCubeIsCachedInRedis(RedisEndpoint redis, ServiceIsolation isolation) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
				"--server.port=0", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(),
				"--celeriac.redis.key-prefix=" + isolation.redisKeyPrefix())) {
			showsSpringsCacheOnTheRegions(context);
		}
	}

	@SuppressWarnings("unchecked")
	private void showsSpringsCacheOnTheRegions(ConfigurableApplicationContext context) {
		assertThat(context.getBean(CacheManager.class)).isInstanceOf(CacheRegionCacheManager.class);
		RestClient client = client(context);
		Map<String, Object> first = client.get().uri("/api/spring-cache/slow-cube/3").retrieve().body(JSON);
		Map<String, Object> second = client.get().uri("/api/spring-cache/slow-cube/3").retrieve().body(JSON);
		assertThat(first).containsEntry("cube", 27).containsEntry("computation", 1);
		assertThat(second).isEqualTo(first);
		client.delete().uri("/api/spring-cache/slow-cube/3").retrieve().toBodilessEntity();
		assertThat(client.get().uri("/api/spring-cache/slow-cube/3").retrieve().body(JSON)).containsEntry("computation",
				2);
		Map<String, Object> statistics = client.get().uri("/api/cache/stats").retrieve().body(JSON);
		assertThat((List<Map<String, Object>>) statistics.get("regions"))
			.filteredOn((region) -> "spring".equals(region.get("namespace")))
			.containsExactly(Map.of("region", "long_term", "namespace", "spring", "hits", 1, "misses", 2, "staleServes",
					0, "nearHits", 0));
		Map<String, Object> dashboard = client.get().uri("/celeriac/api/caches").retrieve().body(JSON);
		Map<String, Object> longTerm = ((List<Map<String, Object>>) dashboard.get("regions")).stream()
			.filter((region) -> "long_term".equals(region.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat((List<Map<String, Object>>) longTerm.get("namespaces"))
			.filteredOn((namespace) -> "spring".equals(namespace.get("namespace")))
			.containsExactly(Map.of("namespace", "spring", "hits", 1, "misses", 2, "stale", 0));
	}

	private static RestClient client(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return RestClient.create("http://127.0.0.1:" + port);
	}

}
