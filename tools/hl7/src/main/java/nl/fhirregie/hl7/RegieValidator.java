package nl.fhirregie.hl7;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.utilities.FhirPublication;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.IgLoader;
import org.hl7.fhir.validation.ValidationEngine;
import org.hl7.fhir.validation.cli.services.StandAloneValidatorFetcher;
import org.hl7.fhir.validation.instance.advisor.BasePolicyAdvisorForFullValidation;
import org.hl7.fhir.r5.utils.validation.constants.ReferenceValidationPolicy;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * Runs the HL7 reference validator (the core InstanceValidator) over many files in one warm JVM,
 * fully offline: FHIR R4 core from the local package cache, our IG from its package tarball, no
 * terminology server, and none of the packages the command-line validator loads on its own (it
 * asks a registry for unversioned HL7 Terminology and extension packs, which cannot be reached).
 *
 * <p>Usage: {@code RegieValidator --ig package.tgz --out results.json [--files LIST] FILE...}
 * (LIST: one path per line). The result is a
 * JSON object mapping each file to its list of issues.
 */
public final class RegieValidator {

  private RegieValidator() {}

  public static void main(String[] args) throws Exception {
    String ig = null;
    String out = null;
    List<String> files = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--ig" -> ig = args[++i];
        case "--out" -> out = args[++i];
        case "--files" -> files.addAll(Files.readAllLines(Paths.get(args[++i]), StandardCharsets.UTF_8));
        default -> files.add(args[i]);
      }
    }
    if (ig == null || out == null) {
      System.err.println("usage: RegieValidator --ig PACKAGE.tgz --out RESULT.json [--files LIST] FILE...");
      System.exit(2);
    }
    long start = System.currentTimeMillis();
    ValidationEngine engine = new ValidationEngine.ValidationEngineBuilder()
        .withTHO(false)
        .withVersion("4.0.1")
        .withUserAgent("fhir-regie")
        .withCanRunWithoutTerminologyServer(true)
        .fromSource("hl7.fhir.r4.core#4.0.1");
    engine.setTerminologyServer("n/a", null, FhirPublication.R4, false);
    IgLoader loader = engine.getIgLoader();
    loader.loadIg(engine.getIgs(), engine.getBinaries(), ig, false);
    engine.setAnyExtensionsAllowed(false);
    engine.setWantInvariantInMessage(true);
    // Profiles inherit example values from FHIR core (e.g. acme.com identifiers).
    engine.setAllowExampleUrls(true);
    // References between the files of this run resolve to those files (see LocalFetcher).
    StandAloneValidatorFetcher standard =
        new StandAloneValidatorFetcher(engine.getPcm(), engine.getContext(), engine);
    LocalFetcher fetcher = new LocalFetcher(standard, engine.getContext(), files);
    engine.setFetcher(fetcher);
    engine.setPolicyAdvisor(new ReferencePolicy(
        new BasePolicyAdvisorForFullValidation(ReferenceValidationPolicy.CHECK_VALID)));
    engine.prepare();
    System.err.printf("hl7-validator: ready in %.1f s, validating %d files%n",
        (System.currentTimeMillis() - start) / 1000.0, files.size());

    long warm = System.currentTimeMillis();
    JsonObject result = new JsonObject();
    InstanceValidator validator = engine.getValidator(FhirFormat.JSON);
    int done = 0;
    for (String file : files) {
      List<ValidationMessage> messages = new ArrayList<>();
      JsonArray issues = new JsonArray();
      try (InputStream stream = new FileInputStream(file)) {
        validator.validate(null, messages, stream, FhirFormat.JSON);
      } catch (Exception e) {
        JsonObject issue = new JsonObject();
        issue.addProperty("severity", "fatal");
        issue.addProperty("message", "validator failed: " + e.getMessage());
        issue.addProperty("location", "");
        issues.add(issue);
      }
      for (ValidationMessage message : messages) {
        JsonObject issue = new JsonObject();
        issue.addProperty("severity", message.getLevel().toCode());
        issue.addProperty("message", message.getMessage());
        issue.addProperty("location", message.getLocation());
        issue.addProperty("messageId", message.getMessageId());
        issue.addProperty("invariant", message.getInvId());
        issue.addProperty("line", message.getLine());
        issue.addProperty("col", message.getCol());
        issue.addProperty("type", message.getType() == null ? null : message.getType().toCode());
        if (message.sliceText != null && message.sliceText.length > 0) {
          // Why a reference target or slice did not match: the validator's nested messages.
          JsonArray details = new JsonArray();
          for (String text : message.sliceText) {
            details.add(text);
          }
          issue.add("details", details);
        }
        issues.add(issue);
      }
      result.add(Paths.get(file).toAbsolutePath().toString(), issues);
      done++;
      if (done % 50 == 0) {
        System.err.printf("hl7-validator: %d/%d%n", done, files.size());
      }
    }
    Gson gson = new GsonBuilder().serializeNulls().create();
    Path target = Paths.get(out);
    try (Writer writer = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      gson.toJson(result, writer);
    }
    long end = System.currentTimeMillis();
    System.err.printf("hl7-validator: %d files in %.1f s (validation %.3f s)%n", files.size(),
        (end - start) / 1000.0, (end - warm) / 1000.0);
  }
}
