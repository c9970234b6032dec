package io.celeriac.benchmarks.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.celeriac.benchmarks.JmhRounds;
import io.celeriac.cache.CacheMetrics;
import io.celeriac.cache.CacheRegion;
import io.celeriac.cache.CacheRegionAdvisor;
import io.celeriac.cache.CacheRegionSettings;
import io.celeriac.cache.CacheRegions;
import io.celeriac.cache.CacheSettings;
import io.celeriac.cache.redis.RedisCacheStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.RunnerException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;

/**
 * A cache hit through {@code @CacheRegion} on Redis, with and without its near cache,
 * against a raw Lettuce {@code GET} of the same JSON value and Spring's
 * {@code @Cacheable} with {@code RedisCacheManager}, at 1 and 16 threads in one run.
 * Redis comes from {@code REDIS_HOST} and {@code REDIS_PORT} (default 127.0.0.1:6379);
 * every key it writes is under a random prefix and removed afterwards.
 *
 * @author Celeriac team
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CacheRegionBenchmarks {

	private static final String REGION = "bench";

	private static final int ID = 42;

	private final String prefix = "celeriac-bench:" + UUID.randomUUID().toString().substring(0, 8) + ":";

	private LettuceConnectionFactory connectionFactory;

	private RedisClient client;

	private StatefulRedisConnection<String, String> connection;

	private RedisCommands<String, String> commands;

	private String rawKey;

	private Reports cacheRegion;

	private Reports cacheRegionWithoutStatistics;

	private Reports nearCache;

	private RedisCacheStore nearCacheStore;

	private AnnotationConfigApplicationContext spring;

	private SpringReports cacheable;

	@Setup
	public void setUp() {
		String host = System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1");
		int port = Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379"));
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.cacheRegion = proxy(regions(true));
		this.cacheRegionWithoutStatistics = proxy(regions(false));
		Report report = this.cacheRegion.report(ID);
		this.cacheRegionWithoutStatistics.report(ID);
		this.nearCacheStore = new RedisCacheStore(this.connectionFactory, this.prefix + "near:", Duration.ofSeconds(2),
				Duration.ofSeconds(1), Map.of(REGION, 10_000));
		this.nearCache = proxy(new CacheRegions(this.nearCacheStore,
				CacheSettings.of(Map.of(REGION, CacheRegionSettings.expiringAfter(Duration.ofHours(1)))),
				new JsonMapper(), CacheMetrics.none()));
		// tracking starts in the background; the first hits after it make the copy
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			this.nearCache.report(ID);
			if (this.nearCacheStore.statistics(REGION).stream().anyMatch((counted) -> counted.nearHits() > 0)) {
				break;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
		}
		this.client = RedisClient.create("redis://" + host + ":" + port);
		this.connection = this.client.connect();
		this.commands = this.connection.sync();
		this.rawKey = this.prefix + "raw";
		this.commands.set(this.rawKey, new JsonMapper().writeValueAsString(report));
		this.spring = new AnnotationConfigApplicationContext();
		this.spring.registerBean(RedisConnectionFactory.class, () -> this.connectionFactory);
		this.spring.registerBean("prefix", String.class, () -> this.prefix);
		this.spring.register(SpringCaching.class);
		this.spring.refresh();
		this.cacheable = this.spring.getBean(SpringReports.class);
		this.cacheable.report(ID);
	}

	private CacheRegions regions(boolean statistics) {
		RedisCacheStore store = new RedisCacheStore(this.connectionFactory, this.prefix + statistics + ":",
				Duration.ofSeconds(2));
		CacheSettings settings = CacheSettings
			.of(Map.of(REGION, CacheRegionSettings.expiringAfter(Duration.ofHours(1))))
			.withStatistics(statistics);
		return new CacheRegions(store, settings, new JsonMapper(), CacheMetrics.none());
	}

	private static Reports proxy(CacheRegions regions) {
		ProxyFactory factory = new ProxyFactory(new Reports());
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new CacheRegionAdvisor(() -> regions));
		return (Reports) factory.getProxy();
	}

	@TearDown
	public void tearDown() {
		ScanCursor cursor = ScanCursor.INITIAL;
		do {
			KeyScanCursor<String> page = this.commands.scan(cursor,
					ScanArgs.Builder.matches(this.prefix + "*").limit(1000));
			if (!page.getKeys().isEmpty()) {
				this.commands.unlink(page.getKeys().toArray(String[]::new));
			}
			cursor = page;
		}
		while (!cursor.isFinished());
		this.nearCacheStore.close();
		this.spring.close();
		this.connection.close();
		this.client.shutdown();
		this.connectionFactory.destroy();
	}

	@Benchmark
	public Report cacheRegionHit() {
		return this.cacheRegion.report(ID);
	}

	@Benchmark
	public Report cacheRegionHitWithoutStatistics() {
		return this.cacheRegionWithoutStatistics.report(ID);
	}

	@Benchmark
	public Report nearCacheHit() {
		return this.nearCache.report(ID);
	}

	@Benchmark
	public String lettuceGet() {
		return this.commands.get(this.rawKey);
	}

	@Benchmark
	public Report springCacheableHit() {
		return this.cacheable.report(ID);
	}

	/**
	 * Runs the benchmarks at 1 and at 16 threads, in two rounds so that a change in the
	 * machine's load hits every benchmark alike, and prints each benchmark's median
	 * throughput and its median ratios to the raw {@code GET} and to Spring's
	 * {@code @Cacheable} of the same round and thread count. {@code -Dbenchmarks=...}
	 * narrows the benchmarks (a regular expression, default every one but
	 * {@code cacheRegionHitWithoutStatistics}) and {@code -Drounds=N} changes the number
	 * of rounds.
	 * @param args ignored
	 * @throws RunnerException if JMH fails
	 */
	public static void main(String[] args) throws RunnerException {
		String benchmarks = System.getProperty("benchmarks",
				"(cacheRegionHit|nearCacheHit|lettuceGet|springCacheableHit)");
		JmhRounds.run(CacheRegionBenchmarks.class.getName() + "\\." + benchmarks + "$", "lettuceGet",
				benchmarks.contains("springCacheableHit") ? "springCacheableHit" : null,
				Integer.getInteger("rounds", 2));
	}

	/**
	 * A report, the value both caches hold.
	 *
	 * @param id its id
	 * @param title its title
	 * @param figures its figures
	 */
	public record Report(int id, String title, List<Integer> figures) {

		static Report of(int id) {
			return new Report(id, "Quarterly report " + id, IntStream.rangeClosed(1, 12).boxed().toList());
		}

	}

	/**
	 * Reports cached by {@code @CacheRegion}.
	 */
	public static class Reports {

		@CacheRegion(value = REGION, namespace = "reports")
		public Report report(int id) {
			return Report.of(id);
		}

	}

	/**
	 * Reports cached by Spring's {@code @Cacheable}.
	 */
	public static class SpringReports {

		@Cacheable("reports")
		public Report report(int id) {
			return Report.of(id);
		}

	}

	/**
	 * Spring's caching on Redis with JSON values, as an application would set it up.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class SpringCaching {

		@Bean
		RedisCacheManager cacheManager(RedisConnectionFactory connectionFactory, String prefix) {
			return RedisCacheManager.builder(connectionFactory)
				.cacheDefaults(RedisCacheConfiguration.defaultCacheConfig()
					.prefixCacheNameWith(prefix)
					.serializeValuesWith(
							SerializationPair.fromSerializer(new JacksonJsonRedisSerializer<>(Report.class))))
				.build();
		}

		@Bean
		SpringReports springReports() {
			return new SpringReports();
		}

	}

}
