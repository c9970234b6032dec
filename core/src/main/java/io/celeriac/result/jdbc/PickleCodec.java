package io.celeriac.result.jdbc;

import java.io.IOException;
import java.util.Set;

import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Pickler;
import net.razorvine.pickle.Unpickler;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads the Python pickles that Celery's database backend keeps in the
 * {@code result} column. Only plain values go either way (dicts, lists, tuples, strings,
 * bytes, numbers, booleans, None): the reader refuses every opcode that names a class or
 * calls something, so a pickle in the table can never make this process build an object
 * of its choosing.
 *
 * @author Celeriac team
 */
public final class PickleCodec {

	private static final Set<Short> REFUSED = Set.of(Opcodes.GLOBAL, Opcodes.STACK_GLOBAL, Opcodes.REDUCE,
			Opcodes.BUILD, Opcodes.INST, Opcodes.OBJ, Opcodes.NEWOBJ, Opcodes.NEWOBJ_EX, Opcodes.EXT1, Opcodes.EXT2,
			Opcodes.EXT4, Opcodes.PERSID, Opcodes.BINPERSID);

	/**
	 * Pickles a plain value; Java arrays become tuples, maps dicts and lists lists.
	 * @param value the value
	 * @return the pickle
	 */
	public byte[] dump(@Nullable Object value) {
		try {
			return new Pickler(false).dumps(value);
		}
		catch (IOException | PickleException ex) {
			throw new IllegalArgumentException("Cannot pickle " + value + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Reads a pickle of plain values; tuples become arrays, dicts maps and lists lists.
	 * @param pickle the pickle
	 * @return the value
	 * @throws IllegalArgumentException if the pickle is broken or names a class
	 */
	public @Nullable Object load(byte[] pickle) {
		try (PlainValueUnpickler unpickler = new PlainValueUnpickler()) {
			return unpickler.loads(pickle);
		}
		catch (IOException | PickleException ex) {
			throw new IllegalArgumentException("Cannot read the pickled result: " + ex.getMessage(), ex);
		}
	}

	private static final class PlainValueUnpickler extends Unpickler implements AutoCloseable {

		@Override
		protected Object dispatch(short key) throws PickleException, IOException {
			if (REFUSED.contains(key)) {
				throw new PickleException(String.format(
						"opcode 0x%02x refers to a Python class or callable; only "
								+ "plain values (dict, list, tuple, str, bytes, int, float, bool, None) are read",
						key));
			}
			return super.dispatch(key);
		}

	}

}
