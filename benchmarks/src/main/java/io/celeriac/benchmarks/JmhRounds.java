package io.celeriac.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs JMH benchmarks at 1 and at 16 threads for some rounds, so that a change in the
 * machine's load falls on every benchmark alike, and prints a Markdown table of each
 * benchmark's median score and of its ratio to a baseline benchmark of the same run.
 *
 * @author Celeriac team
 */
public final class JmhRounds {

	private static final int[] THREADS = { 1, 16 };

	private JmhRounds() {
	}

	/**
	 * Runs the benchmarks and prints the table.
	 * @param include the JMH include pattern of the benchmarks, baseline among them
	 * @param baseline the baseline benchmark's method name
	 * @param rounds how many rounds
	 * @throws RunnerException if JMH fails
	 */
	public static void run(String include, String baseline, int rounds) throws RunnerException {
		run(include, baseline, null, rounds);
	}

	/**
	 * Runs the benchmarks and prints the table, with a second ratio column against
	 * another benchmark of the same run.
	 * @param include the JMH include pattern of the benchmarks, both baselines among them
	 * @param baseline the baseline benchmark's method name
	 * @param secondBaseline the other benchmark each is compared with, or {@code null}
	 * @param rounds how many rounds
	 * @throws RunnerException if JMH fails
	 */
	public static void run(String include, String baseline, @Nullable String secondBaseline, int rounds)
			throws RunnerException {
		Map<String, List<Double>> scores = new TreeMap<>();
		Map<String, List<Double>> ratios = new TreeMap<>();
		Map<String, List<Double>> secondRatios = new TreeMap<>();
		for (int round = 0; round < rounds; round++) {
			for (int threads : THREADS) {
				Collection<RunResult> results = new Runner(
						new OptionsBuilder().include(include).threads(threads).build())
					.run();
				double base = score(results, baseline);
				double secondBase = (secondBaseline != null) ? score(results, secondBaseline) : Double.NaN;
				for (RunResult result : results) {
					String name = result.getParams().getBenchmark();
					String key = String.format(Locale.ROOT, "%02d %s", threads,
							name.substring(name.lastIndexOf('.') + 1));
					double score = result.getPrimaryResult().getScore();
					scores.computeIfAbsent(key, (ignored) -> new ArrayList<>()).add(score);
					ratios.computeIfAbsent(key, (ignored) -> new ArrayList<>()).add(score / base);
					secondRatios.computeIfAbsent(key, (ignored) -> new ArrayList<>()).add(score / secondBase);
				}
			}
		}
		System.out.println();
		String second = (secondBaseline != null) ? " ratio to " + secondBaseline + " (median) | per round |" : "";
		System.out.println("| benchmark | threads | ops/s (median of rounds) | ratio to " + baseline
				+ " (median) | ratios per round |" + second);
		System.out.println("|---|---|---|---|---|" + ((secondBaseline != null) ? "---|---|" : ""));
		scores.forEach((key, values) -> {
			String row = String.format(Locale.ROOT, "| %s | %d | %,.0f | %.2f | %s |", key.substring(3),
					Integer.parseInt(key.substring(0, 2)), median(values), median(ratios.get(key)),
					rounded(ratios.get(key)));
			if (secondBaseline != null) {
				row += String.format(Locale.ROOT, " %.2f | %s |", median(secondRatios.get(key)),
						rounded(secondRatios.get(key)));
			}
			System.out.println(row);
		});
	}

	private static List<String> rounded(List<Double> ratios) {
		return ratios.stream().map((ratio) -> String.format(Locale.ROOT, "%.2f", ratio)).toList();
	}

	private static double score(Collection<RunResult> results, String benchmark) {
		return results.stream()
			.filter((result) -> result.getParams().getBenchmark().endsWith("." + benchmark))
			.findFirst()
			.orElseThrow()
			.getPrimaryResult()
			.getScore();
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
