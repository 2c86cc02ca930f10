package nl.fhirregie.hl7;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.model.CanonicalResource;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.IResourceValidator;
import org.hl7.fhir.r5.utils.validation.IValidatorResourceFetcher;

/**
 * Resolves references between the files of one validation run ("Patient/x" finds the file whose
 * resourceType is Patient and id is x; "CarePlan/x/_history/1" only the file of that CarePlan
 * whose meta.versionId is 1), so a reference typed to a profile is checked against the
 * real target; and it counts the mapping identities FHIR core declares (http://hl7.org/v3, ...)
 * as resolvable URLs. Everything else goes to the standard fetcher.
 */
final class LocalFetcher implements IValidatorResourceFetcher {

  private final IValidatorResourceFetcher delegate;
  private final IWorkerContext context;
  private final Map<String, String> files = new HashMap<>();
  private final Map<String, String> versions = new HashMap<>();
  private final Set<String> mappingIdentities = new HashSet<>();

  LocalFetcher(IValidatorResourceFetcher delegate, IWorkerContext context, List<String> paths) {
    this.delegate = delegate;
    this.context = context;
    for (String path : paths) {
      try {
        JsonObject json = JsonParser.parseString(
            Files.readString(Paths.get(path), StandardCharsets.UTF_8)).getAsJsonObject();
        if (json.has("resourceType") && json.has("id")) {
          String key = json.get("resourceType").getAsString() + "/" + json.get("id").getAsString();
          files.putIfAbsent(key, path);
          if (json.has("meta") && json.getAsJsonObject("meta").has("versionId")) {
            versions.putIfAbsent(key,
                json.getAsJsonObject("meta").get("versionId").getAsString());
          }
        }
      } catch (Exception e) {
        // Unreadable files are reported when they are validated themselves.
      }
    }
    // Mapping identities declared by FHIR core (http://hl7.org/v3, ...) are names, not links;
    // they count as resolvable wherever our profiles inherit them.
    for (StructureDefinition sd : context.fetchResourcesByType(StructureDefinition.class)) {
      sd.getMapping().forEach(m -> mappingIdentities.add(m.getUri()));
    }
  }

  private String localKey(String url) {
    String[] parts = url.split("/");
    if (parts.length >= 4 && "_history".equals(parts[parts.length - 2])) {
      // A versioned reference (Type/id/_history/n) resolves only to a file of that version.
      String key = parts[parts.length - 4] + "/" + parts[parts.length - 3];
      return files.containsKey(key) && parts[parts.length - 1].equals(versions.get(key))
          ? key : null;
    }
    if (parts.length < 2) {
      return null;
    }
    String key = parts[parts.length - 2] + "/" + parts[parts.length - 1];
    return files.containsKey(key) ? key : null;
  }

  @Override
  public Element fetch(IResourceValidator validator, Object appContext, String url)
      throws FHIRException, IOException {
    String key = localKey(url);
    if (key == null) {
      try {
        return delegate.fetch(validator, appContext, url);
      } catch (FHIRException e) {
        // Not part of this run and not known to the validator: the reference does not resolve,
        // which the validator reports on the reference itself.
        return null;
      }
    }
    try (java.io.InputStream stream = new java.io.FileInputStream(files.get(key))) {
      return org.hl7.fhir.r5.elementmodel.Manager.parseSingle(
          context, stream, org.hl7.fhir.r5.elementmodel.Manager.FhirFormat.JSON);
    }
  }

  @Override
  public boolean resolveURL(IResourceValidator validator, Object appContext, String path,
      String url, String type, boolean canonical) throws IOException, FHIRException {
    if (localKey(url) != null || mappingIdentities.contains(url)) {
      return true;
    }
    return delegate.resolveURL(validator, appContext, path, url, type, canonical);
  }

  @Override
  public byte[] fetchRaw(IResourceValidator validator, String url) throws IOException {
    return delegate.fetchRaw(validator, url);
  }

  @Override
  public IValidatorResourceFetcher setLocale(Locale locale) {
    delegate.setLocale(locale);
    return this;
  }

  @Override
  public CanonicalResource fetchCanonicalResource(IResourceValidator validator, Object appContext,
      String url) throws URISyntaxException {
    return delegate.fetchCanonicalResource(validator, appContext, url);
  }

  @Override
  public boolean fetchesCanonicalResource(IResourceValidator validator, String url) {
    return delegate.fetchesCanonicalResource(validator, url);
  }

  @Override
  public Set<String> fetchCanonicalResourceVersions(IResourceValidator validator,
      Object appContext, String url) {
    return delegate.fetchCanonicalResourceVersions(validator, appContext, url);
  }
}
