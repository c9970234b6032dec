package io.celeriac.cache;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link CacheArgumentsRenderer}: keys rendered without Jackson are exactly the
 * keys Jackson renders, so that entries stay shared with processes that render them
 * either way.
 *
 * @author Celeriac team
 */
class CacheArgumentsRendererTests {

	private final JsonMapper jackson = new JsonMapper();

	private final CacheArgumentsRenderer renderer = new CacheArgumentsRenderer(this.jackson);

	@Test
	void plainArgumentsRenderAsJacksonRendersThem() {
		for (Object[] arguments : List.of(new Object[] {}, new Object[] { 7 }, new Object[] { "fred", 10 },
				new Object[] { -3L, true, null, (short) 2, (byte) 1 }, new Object[] { "a b/c:d{}[]'" },
				new Object[] { Long.MIN_VALUE, Integer.MAX_VALUE })) {
			assertThat(this.renderer.render(arguments)).isEqualTo(this.jackson.writeValueAsString(arguments));
		}
	}

	@Test
	void otherArgumentsAreRenderedByJackson() {
		assertThat(this.renderer.render(new Object[] { "say \"hi\"\\", "caf\u00e9", "tab\t" }))
			.isEqualTo("[\"say \\\"hi\\\"\\\\\",\"caf\u00e9\",\"tab\\t\"]");
		assertThat(this.renderer.render(new Object[] { Map.of("b", 2, "a", 1), 1.5 }))
			.isEqualTo("[{\"a\":1,\"b\":2},1.5]");
	}

	@Test
	void aMapperThatWritesNumbersAsStringsRendersThemSo() {
		CacheArgumentsRenderer quoting = new CacheArgumentsRenderer(
				JsonMapper.builder().enable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS).build());
		assertThat(quoting.render(new Object[] { 7 })).isEqualTo("[\"7\"]");
	}

	@Test
	void anArgumentWithNothingToWriteIsRefused() {
		assertThatExceptionOfType(CacheConfigurationException.class)
			.isThrownBy(() -> this.renderer.render(new Object[] { new Object() }));
	}

}
