package io.litebit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code litebit} command-line tool.
 *
 * <pre>
 * java -jar cli/target/litebit.jar inspect model.tflite --json
 * </pre>
 *
 * Exit status: 0 on success, 2 on usage errors and on models that cannot be read; {@code conform}
 * and {@code golden} exit 1 when backends differ where they were required to agree.
 */
@Command(name = "litebit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Native-speed TensorFlow Lite for the JVM and a bit-exact oracle of its quantized arithmetic.",
        subcommands = {InspectCommand.class, RunCommand.class, EvalCommand.class, ConformCommand.class, GoldenCommand.class,
                FuzzCommand.class, BenchCommand.class, PlatformsCommand.class, DatasetCommand.class, CalibrateCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for usage errors and unreadable models. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the tool as {@link #main} would, returning the exit status instead of exiting. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(t -> EXIT_USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("litebit: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'litebit " + ex.getCommandLine().getCommandName() + " --help'.");
            return EXIT_USAGE;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"litebit " + (v == null ? "(development build)" : v)};
        }
    }
}
