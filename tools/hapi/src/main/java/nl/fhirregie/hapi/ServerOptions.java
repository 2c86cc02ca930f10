package nl.fhirregie.hapi;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the server: {@code --port N --data DIR --package TGZ... [--description S]
 * [--stock-package-install] [--jdbc jdbc:postgresql://HOST:PORT/DB?user=U]}.
 *
 * <p>{@code --jdbc} runs the JPA server on PostgreSQL instead of H2 (the password, when one is
 * needed, from the environment: {@code PGPASSWORD}; tools/hapi.py {@code --postgres}).
 *
 * <p>{@code --stock-package-install} keeps HAPI's default package installation (only resources
 * with {@code status = active} are installed), as a vendor's server would do it.
 *
 * <p>Held in a static field between {@code main} and the Spring context, which has no other way
 * to receive the arguments without a property framework.
 */
public record ServerOptions(int port, Path dataDir, List<Path> packages, String description,
    boolean stockPackageInstall, String jdbcUrl) {

  private static ServerOptions current;

  static ServerOptions parse(String[] args) {
    int port = 8080;
    Path data = null;
    List<Path> packages = new ArrayList<>();
    String description = "fhir-regie HAPI FHIR JPA server";
    boolean stock = false;
    String jdbc = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--stock-package-install")) {
        stock = true;
        continue;
      }
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(require(args[i], value));
        case "--data" -> data = Paths.get(require(args[i], value));
        case "--package" -> packages.add(Paths.get(require(args[i], value)));
        case "--description" -> description = require(args[i], value);
        case "--jdbc" -> jdbc = require(args[i], value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
      i++;
    }
    if (data == null) {
      throw new IllegalArgumentException("--data DIR is required");
    }
    if (jdbc != null && !jdbc.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("--jdbc must be a jdbc:postgresql:// URL");
    }
    return new ServerOptions(port, data, List.copyOf(packages), description, stock, jdbc);
  }

  private static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }

  static void set(ServerOptions options) {
    current = options;
  }

  static ServerOptions current() {
    if (current == null) {
      throw new IllegalStateException("server options not set");
    }
    return current;
  }
}
