package io.celeriac.benchmarks.cache;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.sun.management.OperatingSystemMXBean;

/**
 * The client's CPU time per cache hit, which a busy machine disturbs far less than
 * throughput: the process's CPU time (the calling thread and Lettuce's event loop) over N
 * sequential hits of each of {@link CacheRegionBenchmarks}'s benchmarks, in rounds that
 * alternate them, against the same Redis. Redis's own CPU is not counted. Prints each
 * one's median microseconds per hit and its ratio to Spring's {@code @Cacheable}.
 * <p>
 * {@code -Dhits=N} (default 50,000) and {@code -Drounds=N} (default 5).
 *
 * @author Celeriac team
 */
public final class CacheHitCpuCost {

	private CacheHitCpuCost() {
	}

	public static void main(String[] args) {
		int hits = Integer.getInteger("hits", 50_000);
		int rounds = Integer.getInteger("rounds", 5);
		OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		CacheRegionBenchmarks benchmarks = new CacheRegionBenchmarks();
		benchmarks.setUp();
		try {
			Map<String, Supplier<Object>> calls = new LinkedHashMap<>();
			calls.put("cacheRegionHit", benchmarks::cacheRegionHit);
			calls.put("springCacheableHit", benchmarks::springCacheableHit);
			calls.put("lettuceGet", benchmarks::lettuceGet);
			calls.put("nearCacheHit", benchmarks::nearCacheHit);
			Map<String, List<Double>> micros = new LinkedHashMap<>();
			for (int round = -1; round < rounds; round++) {
				for (Map.Entry<String, Supplier<Object>> call : calls.entrySet()) {
					long cpu = os.getProcessCpuTime();
					for (int i = 0; i < hits; i++) {
						call.getValue().get();
					}
					double perHit = (os.getProcessCpuTime() - cpu) / 1000.0 / hits;
					if (round >= 0) {
						// round -1 warms the JIT up and is not reported
						micros.computeIfAbsent(call.getKey(), (key) -> new ArrayList<>()).add(perHit);
					}
				}
			}
			double spring = median(micros.get("springCacheableHit"));
			System.out.println();
			System.out.println("| benchmark | CPU µs per hit (median of " + rounds
					+ " rounds) | ratio of Spring's CPU to this one | per round (µs) |");
			System.out.println("|---|---|---|---|");
			micros.forEach((name,
					values) -> System.out.println(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %s |", name,
							median(values), spring / median(values),
							values.stream().map((value) -> String.format(Locale.ROOT, "%.1f", value)).toList())));
		}
		finally {
			benchmarks.tearDown();
		}
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
