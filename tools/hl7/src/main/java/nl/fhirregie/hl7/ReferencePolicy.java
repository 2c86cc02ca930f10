package nl.fhirregie.hl7;

import java.util.EnumSet;
import java.util.List;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.model.ElementDefinition;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.model.ValueSet;
import org.hl7.fhir.r5.utils.validation.IMessagingServices;
import org.hl7.fhir.r5.utils.validation.IResourceValidator;
import org.hl7.fhir.r5.utils.validation.IValidationPolicyAdvisor;
import org.hl7.fhir.r5.utils.validation.constants.BindingKind;
import org.hl7.fhir.r5.utils.validation.constants.ContainedReferenceValidationPolicy;
import org.hl7.fhir.r5.utils.validation.constants.ReferenceValidationPolicy;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * Every reference is checked fully (CHECK_VALID): the target must exist among the files of the
 * run and conform to the profile the reference demands.
 *
 * <p>Validator 6.5.5 checks an extension's context against the whole reference path when it
 * validates a resource reached through a reference ("CarePlan.goal->Goal" is not "Goal") and so
 * reports every extension of a profiled target as misplaced. On such paths, and only there, that
 * one message is suppressed; the target's extensions are checked where the target is validated
 * as a file of its own. Everything else is the engine's standard full-validation policy.
 */
final class ReferencePolicy implements IValidationPolicyAdvisor {

  private final IValidationPolicyAdvisor delegate;

  ReferencePolicy(IValidationPolicyAdvisor delegate) {
    this.delegate = delegate;
  }

  @Override
  public ReferenceValidationPolicy policyForReference(IResourceValidator validator,
      Object appContext, String path, String url) {
    return ReferenceValidationPolicy.CHECK_VALID;
  }

  @Override
  public IValidationPolicyAdvisor getPolicyAdvisor() {
    return delegate.getPolicyAdvisor();
  }

  @Override
  public IValidationPolicyAdvisor setPolicyAdvisor(IValidationPolicyAdvisor advisor) {
    return delegate.setPolicyAdvisor(advisor);
  }

  @Override
  public ReferenceValidationPolicy getReferencePolicy() {
    return ReferenceValidationPolicy.CHECK_VALID;
  }

  @Override
  public boolean isSuppressMessageId(String path, String messageId) {
    if (path != null && path.contains("->") && messageId != null
        && messageId.startsWith("Extension_EXT") && messageId.contains("_Context_Wrong")) {
      return true;
    }
    return delegate.isSuppressMessageId(path, messageId);
  }

  @Override
  public ContainedReferenceValidationPolicy policyForContained(IResourceValidator validator,
      Object appContext, StructureDefinition structure, ElementDefinition element,
      String containerType, String containerId, Element.SpecialElement containingResourceType,
      String path, String url) {
    return delegate.policyForContained(validator, appContext, structure, element, containerType,
        containerId, containingResourceType, path, url);
  }

  @Override
  public EnumSet<ResourceValidationAction> policyForResource(IResourceValidator validator,
      Object appContext, StructureDefinition type, String path) {
    return delegate.policyForResource(validator, appContext, type, path);
  }

  @Override
  public EnumSet<ElementValidationAction> policyForElement(IResourceValidator validator,
      Object appContext, StructureDefinition structure, ElementDefinition element, String path) {
    return delegate.policyForElement(validator, appContext, structure, element, path);
  }

  @Override
  public EnumSet<CodedContentValidationAction> policyForCodedContent(IResourceValidator validator,
      Object appContext, String stackPath, ElementDefinition definition,
      StructureDefinition structure, BindingKind kind, AdditionalBindingPurpose purpose,
      ValueSet valueSet, List<String> systems) {
    return delegate.policyForCodedContent(validator, appContext, stackPath, definition, structure,
        kind, purpose, valueSet, systems);
  }

  @Override
  public List<StructureDefinition> getImpliedProfilesForResource(IResourceValidator validator,
      Object appContext, String stackPath, ElementDefinition definition,
      StructureDefinition structure, Element resource, boolean valid,
      IMessagingServices msgServices, List<ValidationMessage> messages) {
    return delegate.getImpliedProfilesForResource(validator, appContext, stackPath, definition,
        structure, resource, valid, msgServices, messages);
  }
}
