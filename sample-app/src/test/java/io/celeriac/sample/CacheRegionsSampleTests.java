package io.celeriac.sample;

import java.util.List;
import java.util.Map;

import io.celeriac.test.services.RealServices;
import io.celeriac.test.services.RedisEndpoint;
import io.celeriac.test.services.ServiceIsolation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls the sample's cached endpoint on the in-memory default and on Redis: the second
 * call is a hit, invalidation recomputes, and the statistics endpoint shows it.
 *
 * @author Celeriac team
 */
@RealServices
class CacheRegionsSampleTests {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@Test
	void theSlowSquareIsCachedInMemoryByDefault() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0")) {
			showsTheRegionsAtWork(client(context));
		}
	}

	@Test
	void theSlowSquareIsCachedInRedisWithTheServicesProfile(RedisEndpoint redis, ServiceIsolation isolation) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
				"--server.port=0", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(),
				"--celeriac.redis.key-prefix=" + isolation.redisKeyPrefix())) {
			RestClient client = client(context);
			assertThat(client.get().uri("/backends").retrieve().body(JSON)).containsEntry("cache", "redis");
			showsTheRegionsAtWork(client);
		}
	}

	private void showsTheRegionsAtWork(RestClient client) {
		Map<String, Object> first = client.get().uri("/api/cache/slow-square/12").retrieve().body(JSON);
		Map<String, Object> second = client.get().uri("/api/cache/slow-square/12").retrieve().body(JSON);
		assertThat(first).containsEntry("square", 144).containsEntry("computation", 1);
		assertThat(second).isEqualTo(first);
		client.delete().uri("/api/cache/slow-square/12").retrieve().toBodilessEntity();
		Map<String, Object> third = client.get().uri("/api/cache/slow-square/12").retrieve().body(JSON);
		assertThat(third).containsEntry("square", 144).containsEntry("computation", 2);
		client.delete().uri("/api/cache/regions/short_term").retrieve().toBodilessEntity();
		assertThat(client.get().uri("/api/cache/slow-square/12").retrieve().body(JSON)).containsEntry("computation", 3);
		Map<String, Object> statistics = client.get().uri("/api/cache/stats").retrieve().body(JSON);
		assertThat(statistics).containsEntry("computations", 3);
		assertThat((List<Object>) statistics.get("regions")).containsExactly(Map.of("region", "short_term", "namespace",
				"slow-square", "hits", 1, "misses", 3, "staleServes", 0, "nearHits", 0));
	}

	private static RestClient client(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return RestClient.create("http://127.0.0.1:" + port);
	}

}
