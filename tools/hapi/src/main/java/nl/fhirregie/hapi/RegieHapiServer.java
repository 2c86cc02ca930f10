package nl.fhirregie.hapi;

import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import ca.uhn.fhir.jpa.packages.PackageInstallOutcomeJson;
import ca.uhn.fhir.jpa.packages.PackageInstallationSpec;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.hl7.fhir.utilities.npm.NpmPackage;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * A HAPI FHIR JPA server (R4, H2) on 127.0.0.1 with FHIR packages installed from local tarballs.
 *
 * <pre>java -cp ... nl.fhirregie.hapi.RegieHapiServer --port 8080 --data DIR --package X.tgz</pre>
 *
 * <p>Start-up order: Spring context (database schema, DAOs, validation chain), then the packages
 * (so profiles are in place before anything can be written), then Jetty. The line
 * {@code regie-hapi: ready ...} on stdout says the FHIR base answers. SIGTERM stops Jetty and
 * closes the database cleanly.
 */
public final class RegieHapiServer {

  private RegieHapiServer() {}

  public static void main(String[] args) throws Exception {
    ServerOptions options;
    try {
      options = ServerOptions.parse(args);
    } catch (IllegalArgumentException error) {
      System.err.println("regie-hapi: " + error.getMessage());
      System.err.println("usage: RegieHapiServer --port N --data DIR [--package X.tgz]... "
          + "[--description TEXT]");
      System.exit(2);
      return;
    }
    long started = System.nanoTime();
    Files.createDirectories(options.dataDir());
    ServerOptions.set(options);

    AnnotationConfigApplicationContext context =
        new AnnotationConfigApplicationContext(ServerConfig.class);
    System.out.printf(Locale.ROOT, "regie-hapi: Spring context (schema, DAOs, validation) in "
        + "%.1f s%n", (System.nanoTime() - started) / 1e9);
    IPackageInstallerSvc installer = context.getBean(IPackageInstallerSvc.class);
    for (Path tarball : options.packages()) {
      long installStarted = System.nanoTime();
      install(installer, tarball);
      System.out.printf(Locale.ROOT, "regie-hapi: package installed in %.1f s%n",
          (System.nanoTime() - installStarted) / 1e9);
    }

    Server jetty = new Server(new InetSocketAddress("127.0.0.1", options.port()));
    ServletContextHandler handler = new ServletContextHandler();
    handler.setContextPath("/");
    handler.addServlet(new ServletHolder(context.getBean(RestfulServer.class)), "/fhir/*");
    jetty.setHandler(handler);
    jetty.setStopAtShutdown(false);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        jetty.stop();
      } catch (Exception error) {
        System.err.println("regie-hapi: stopping Jetty failed: " + error);
      }
      context.close();
    }, "regie-hapi-shutdown"));
    try {
      jetty.start();
    } catch (Exception error) {
      System.err.println("regie-hapi: cannot listen on 127.0.0.1:" + options.port() + ": "
          + error.getMessage());
      System.exit(1);
    }
    System.out.printf(Locale.ROOT, "regie-hapi: ready on http://127.0.0.1:%d/fhir in %.1f s%n",
        options.port(), (System.nanoTime() - started) / 1e9);
    System.out.flush();
    jetty.join();
  }

  /** Store the package and install its conformance resources; dependencies are not fetched. */
  private static void install(IPackageInstallerSvc installer, Path tarball) throws Exception {
    byte[] contents = Files.readAllBytes(tarball);
    NpmPackage npm = NpmPackage.fromPackage(new ByteArrayInputStream(contents));
    PackageInstallationSpec spec = new PackageInstallationSpec()
        .setName(npm.name())
        .setVersion(npm.version())
        .setPackageContents(contents)
        .setInstallMode(PackageInstallationSpec.InstallModeEnum.STORE_AND_INSTALL)
        .setFetchDependencies(false);
    PackageInstallOutcomeJson outcome = installer.install(spec);
    System.out.printf(Locale.ROOT, "regie-hapi: installed %s#%s %s%n", npm.name(), npm.version(),
        outcome.getResourcesInstalled());
  }
}
