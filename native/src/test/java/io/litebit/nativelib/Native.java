package io.litebit.nativelib;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

import java.nio.file.Path;
import java.util.Random;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.OpResolver;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/** Test helpers over the preset's interpreter API. */
final class Native {
    private Native() {
    }

    static FlatBufferModel loadModel(Path file) {
        NativeLibrary.load();
        FlatBufferModel model = FlatBufferModel.BuildFromFile(file.toString());
        if (model == null || model.isNull()) {
            throw new IllegalStateException("TFLite cannot load " + file);
        }
        return model;
    }

    /**
     * Builds an interpreter. The caller keeps {@code model} and {@code resolver} reachable and
     * open until the interpreter is closed.
     */
    static Interpreter build(FlatBufferModel model, OpResolver resolver, int threads) {
        InterpreterBuilder builder = new InterpreterBuilder(model, resolver);
        try {
            if (builder.SetNumThreads(threads) != kTfLiteOk) {
                throw new IllegalStateException("SetNumThreads(" + threads + ") failed");
            }
            Interpreter interpreter = new Interpreter((Pointer) null);
            int status = builder.apply(interpreter);
            if (status != kTfLiteOk || interpreter.isNull()) {
                throw new IllegalStateException("InterpreterBuilder failed with status " + status);
            }
            return interpreter;
        } finally {
            builder.close();
        }
    }

    static void check(int status, String what) {
        if (status != kTfLiteOk) {
            throw new IllegalStateException(what + " failed with status " + status);
        }
    }

    static BytePointer tensorBytes(Interpreter interpreter, int tensorIndex) {
        TfLiteTensor tensor = interpreter.tensor(tensorIndex);
        return new BytePointer(tensor.data().raw()).capacity(tensor.bytes());
    }

    static void fillRandom(Interpreter interpreter, int tensorIndex, long seed) {
        BytePointer data = tensorBytes(interpreter, tensorIndex);
        byte[] bytes = new byte[(int) data.capacity()];
        new Random(seed).nextBytes(bytes);
        data.put(bytes);
    }

    static byte[] read(Interpreter interpreter, int tensorIndex) {
        BytePointer data = tensorBytes(interpreter, tensorIndex);
        byte[] bytes = new byte[(int) data.capacity()];
        data.get(bytes);
        return bytes;
    }
}
