package io.celeriac.worker;

import io.celeriac.task.TaskMethod;
import io.celeriac.task.TaskRegistry;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ArgumentBinder}.
 *
 * @author Celeriac team
 */
class ArgumentBinderTests {

	private final JsonMapper mapper = JsonMapper.builder().disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();

	private final ArgumentBinder binder = new ArgumentBinder(this.mapper);

	private final TaskMethod task = task("generate");

	@Test
	void positionalArgumentsConvertToDeclaredGenericTypes() {
		Object[] bound = this.binder.bind(this.task, args("[7, \"csv\", [{\"a\": 1}, {\"b\": 2}]]"), kwargs("{}"));
		assertThat(bound[0]).isEqualTo(7);
		assertThat(bound[1]).isEqualTo("csv");
		assertThat(bound[2]).isEqualTo(List.of(Map.of("a", 1L), Map.of("b", 2L)));
	}

	@Test
	void keywordArgumentsBindByParameterName() {
		Object[] bound = this.binder.bind(this.task, args("[7]"), kwargs("{\"rows\": [], \"format\": \"pdf\"}"));
		assertThat(bound).containsExactly(7, "pdf", List.of());
	}

	@Test
	void tooManyArgumentsAreAMismatch() {
		assertThatExceptionOfType(ArgumentMismatchException.class)
			.isThrownBy(() -> this.binder.bind(this.task, args("[1, \"a\", [], 4]"), kwargs("{}")))
			.withMessageContaining("takes 3 argument(s)")
			.withMessageContaining("generate(int id, String format, List<Map<String, Long>> rows)");
	}

	@Test
	void aMissingArgumentIsAMismatch() {
		assertThatExceptionOfType(ArgumentMismatchException.class)
			.isThrownBy(() -> this.binder.bind(this.task, args("[1]"), kwargs("{\"format\": \"pdf\"}")))
			.withMessageContaining("needs a value for parameter 'rows'");
	}

	@Test
	void anUnknownKeywordIsAMismatch() {
		assertThatExceptionOfType(ArgumentMismatchException.class)
			.isThrownBy(() -> this.binder.bind(this.task, args("[1, \"a\", []]"), kwargs("{\"colour\": 1}")))
			.withMessageContaining("has no parameter named colour");
	}

	@Test
	void aValueThatDoesNotConvertIsAMismatch() {
		assertThatExceptionOfType(ArgumentMismatchException.class)
			.isThrownBy(() -> this.binder.bind(this.task, args("[\"seven\", \"a\", []]"), kwargs("{}")))
			.withMessageContaining("Argument 1")
			.withMessageContaining("\"seven\"");
	}

	@Test
	void aFractionDoesNotBecomeAnInteger() {
		assertThatExceptionOfType(ArgumentMismatchException.class)
			.isThrownBy(() -> this.binder.bind(this.task, args("[2.5, \"a\", []]"), kwargs("{}")));
	}

	@Test
	void nullForAPrimitiveIsAMismatch() {
		assertThatExceptionOfType(ArgumentMismatchException.class)
			.isThrownBy(() -> this.binder.bind(this.task, args("[null, \"a\", []]"), kwargs("{}")))
			.withMessageContaining("cannot take null");
	}

	@Test
	void anArgumentGivenTwiceIsAMismatch() {
		assertThatExceptionOfType(ArgumentMismatchException.class)
			.isThrownBy(() -> this.binder.bind(this.task, args("[1, \"a\", []]"), kwargs("{\"id\": 2}")))
			.withMessageContaining("both as positional argument 1 and as keyword argument");
	}

	private ArrayNode args(String json) {
		return (ArrayNode) this.mapper.readTree(json);
	}

	private ObjectNode kwargs(String json) {
		return (ObjectNode) this.mapper.readTree(json);
	}

	private static TaskMethod task(String name) {
		try {
			return new TaskMethod("reports." + name, new Reports(),
					Reports.class.getDeclaredMethod(name, int.class, String.class, List.class));
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static class Reports {

		String generate(int id, String format, List<Map<String, Long>> rows) {
			return id + format + rows;
		}

	}

}
