// Terminology: Meldcode (reporting code for domestic violence and child abuse) steps, decisions and consultation.

CodeSystem: RegieMeldcodeStep
Id: regie-meldcode-step
Title: "Meldcode steps"
Description: "Steps of the Dutch reporting code for domestic violence and child abuse; the step must be stated whenever Veilig Thuis is contacted."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #step-0 "Stap 0: acuut gevaar" "Life-threatening situation: alert emergency or crisis services, bring people to safety and document facts and agreements."
  * ^designation[0].language = #en
  * ^designation[0].value = "Step 0: acute danger"
* #step-1 "Stap 1: signalen in kaart brengen" "Recording signals factually with their source, separating facts from hypotheses, and performing the child check or carer check."
  * ^designation[0].language = #en
  * ^designation[0].value = "Step 1: map signals"
* #step-2 "Stap 2: collegiale consultatie en advies" "Consulting a knowledgeable colleague, the in-house expert, Veilig Thuis on an anonymous basis, or a specialist for the type of violence."
  * ^designation[0].language = #en
  * ^designation[0].value = "Step 2: consultation and advice"
* #step-3 "Stap 3: gesprek met de cliënt" "Discussing the facts with the client or their representative, asking for a response and making safety agreements."
  * ^designation[0].language = #en
  * ^designation[0].value = "Step 3: conversation with the client"
* #step-4 "Stap 4: wegen" "Weighing the situation with the decision framework: is there a suspicion, and is there acute or structural unsafety."
  * ^designation[0].language = #en
  * ^designation[0].value = "Step 4: weigh"
* #step-5 "Stap 5: beslissen" "Deciding whether to report and/or to provide or organise help, using the remaining questions of the decision framework."
  * ^designation[0].language = #en
  * ^designation[0].value = "Step 5: decide"
* #step-6 "Stap 6: zorgen blijven" "Keeping track of the situation while concerns remain and reporting again when signals persist."
  * ^designation[0].language = #en
  * ^designation[0].value = "Step 6: ongoing concerns"

ValueSet: RegieMeldcodeStepVS
Id: regie-meldcode-step
Title: "Meldcode steps"
Description: "All codes defined in the Meldcode steps code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieMeldcodeStep

CodeSystem: RegieDecisionQuestion
Id: regie-decision-question
Title: "Meldcode decision framework questions"
Description: "The five questions of the Meldcode decision framework (afwegingskader) answered in steps 4 and 5."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #q1-suspicion "Vermoeden van huiselijk geweld of kindermishandeling?" "Question 1: is there a suspicion of domestic violence or child abuse?"
  * ^designation[0].language = #en
  * ^designation[0].value = "Suspicion of domestic violence or child abuse?"
* #q2-acute-structural-unsafety "Acute en/of structurele onveiligheid?" "Question 2: is there acute and/or structural unsafety? If so, a report to Veilig Thuis follows."
  * ^designation[0].language = #en
  * ^designation[0].value = "Acute and/or structural unsafety?"
* #q3-can-help "Kan ik effectieve hulp bieden of organiseren?" "Question 3: can the professional provide or arrange effective help?"
  * ^designation[0].language = #en
  * ^designation[0].value = "Can I provide or organise effective help?"
* #q4-cooperation "Werken de betrokkenen mee aan de hulp?" "Question 4: do the people involved accept and cooperate with the help?"
  * ^designation[0].language = #en
  * ^designation[0].value = "Do those involved cooperate with the help?"
* #q5-lasting-safety "Leidt de hulp tot duurzame veiligheid?" "Question 5: does the help result in safety that lasts?"
  * ^designation[0].language = #en
  * ^designation[0].value = "Does the help lead to lasting safety?"

ValueSet: RegieDecisionQuestionVS
Id: regie-decision-question
Title: "Meldcode decision framework questions"
Description: "All codes defined in the Meldcode decision framework questions code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieDecisionQuestion

CodeSystem: RegieDecisionAnswer
Id: regie-decision-answer
Title: "Decision framework answers"
Description: "Answers to a question of the Meldcode decision framework."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #yes "Ja" "The question is answered affirmatively."
  * ^designation[0].language = #en
  * ^designation[0].value = "Yes"
* #no "Nee" "The question is answered negatively."
  * ^designation[0].language = #en
  * ^designation[0].value = "No"
* #unknown "Onbekend" "The question cannot be answered yet."
  * ^designation[0].language = #en
  * ^designation[0].value = "Unknown"

ValueSet: RegieDecisionAnswerVS
Id: regie-decision-answer
Title: "Decision framework answers"
Description: "All codes defined in the Decision framework answers code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieDecisionAnswer

CodeSystem: RegieMeldcodeDecision
Id: regie-meldcode-decision
Title: "Meldcode decisions"
Description: "Outcome of weighing and deciding in the Meldcode."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #report-to-vt "Melden bij Veilig Thuis" "The situation is reported to Veilig Thuis."
  * ^designation[0].language = #en
  * ^designation[0].value = "Report to Veilig Thuis"
* #organise-help "Hulp bieden of organiseren" "The professional provides or arranges help without reporting."
  * ^designation[0].language = #en
  * ^designation[0].value = "Provide or organise help"
* #continue-help "Hulp voortzetten met afspraken" "Help continues, with agreements on how future safety or unsafety will be followed."
  * ^designation[0].language = #en
  * ^designation[0].value = "Continue help with agreements"
* #close "Afsluiten" "No suspicion remains; the trail is closed and the reasons are recorded."
  * ^designation[0].language = #en
  * ^designation[0].value = "Close"

ValueSet: RegieMeldcodeDecisionVS
Id: regie-meldcode-decision
Title: "Meldcode decisions"
Description: "All codes defined in the Meldcode decisions code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieMeldcodeDecision

CodeSystem: RegieConsulteeType
Id: regie-consultee-type
Title: "Consultee types"
Description: "Who was consulted during the Meldcode."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #colleague "Deskundige collega" "A colleague with relevant expertise."
  * ^designation[0].language = #en
  * ^designation[0].value = "Knowledgeable colleague"
* #aandachtsfunctionaris "Aandachtsfunctionaris" "The organisation's designated expert on domestic violence and child abuse."
  * ^designation[0].language = #en
  * ^designation[0].value = "Domestic violence and child abuse officer"
* #veilig-thuis "Veilig Thuis" "The regional advice and reporting centre; during advice the case is discussed without identifying data."
  * ^designation[0].language = #en
  * ^designation[0].value = "Veilig Thuis"
* #specialist "Specialist per geweldsvorm" "Expert for a specific form of violence, such as a police or Veilig Thuis specialist for honour-related violence, the public health service for genital mutilation, or a forensic physician or paediatrician for injuries."
  * ^designation[0].language = #en
  * ^designation[0].value = "Violence-type specialist"
* #gi "Gecertificeerde instelling" "Certified youth protection institution."
  * ^designation[0].language = #en
  * ^designation[0].value = "Certified youth protection institution"

ValueSet: RegieConsulteeTypeVS
Id: regie-consultee-type
Title: "Consultee types"
Description: "All codes defined in the Consultee types code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieConsulteeType

CodeSystem: RegieConversationSkipReason
Id: regie-conversation-skip-reason
Title: "Reasons to skip the client conversation"
Description: "The only grounds on which the conversation with the client in Meldcode step 3 may be left out; the reason must be recorded."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #safety-at-stake "Veiligheid in het geding" "Having the conversation would endanger the safety of the client, the professional or someone else."
  * ^designation[0].language = #en
  * ^designation[0].value = "Safety at stake"
* #would-break-contact "Cliënt verbreekt vermoedelijk het contact" "There are good reasons to expect the client would break off contact as a result of the conversation."
  * ^designation[0].language = #en
  * ^designation[0].value = "Client would likely break off contact"

ValueSet: RegieConversationSkipReasonVS
Id: regie-conversation-skip-reason
Title: "Reasons to skip the client conversation"
Description: "All codes defined in the Reasons to skip the client conversation code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieConversationSkipReason

CodeSystem: RegieVtContactType
Id: regie-vt-contact-type
Title: "Veilig Thuis contact types"
Description: "Whether contact with Veilig Thuis is a request for advice or a report."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #advice "Advies" "Request for advice about a situation without identifying data, usually in step 2."
  * ^designation[0].language = #en
  * ^designation[0].value = "Advice"
* #report "Melding" "Formal report including identifying data, usually after step 5."
  * ^designation[0].language = #en
  * ^designation[0].value = "Report"

ValueSet: RegieVtContactTypeVS
Id: regie-vt-contact-type
Title: "Veilig Thuis contact types"
Description: "All codes defined in the Veilig Thuis contact types code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieVtContactType

CodeSystem: RegieViolenceType
Id: regie-violence-type
Title: "Forms of violence"
Description: "Forms of domestic violence and abuse that fall under the Meldcode."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #domestic-violence "Huiselijk geweld" "Violence by someone from the victim's domestic circle, such as a (former) partner, family member or housemate."
  * ^designation[0].language = #en
  * ^designation[0].value = "Domestic violence"
* #partner-violence "Partnergeweld" "Violence between current or former partners."
  * ^designation[0].language = #en
  * ^designation[0].value = "Partner violence"
* #child-abuse "Kindermishandeling" "Physical, psychological or sexual violence against, or neglect of, a minor by a parent or other carer."
  * ^designation[0].language = #en
  * ^designation[0].value = "Child abuse"
* #elder-abuse "Ouderenmishandeling" "Violence against, neglect or financial exploitation of an older person by someone with whom they have a personal or dependent relationship."
  * ^designation[0].language = #en
  * ^designation[0].value = "Elder abuse"
* #honour-related-violence "Eergerelateerd geweld" "Violence committed to protect or restore the perceived honour of a person or family."
  * ^designation[0].language = #en
  * ^designation[0].value = "Honour-related violence"
* #female-genital-mutilation "Vrouwelijke genitale verminking" "Partial or total removal or other injury of the external female genitals for non-medical reasons."
  * ^designation[0].language = #en
  * ^designation[0].value = "Female genital mutilation"
* #forced-marriage "Huwelijksdwang" "Forcing someone into a marriage or relationship against their will."
  * ^designation[0].language = #en
  * ^designation[0].value = "Forced marriage"
* #abandonment-abroad "Achterlating" "Leaving someone behind abroad against their will, taking away their identity papers or means to return."
  * ^designation[0].language = #en
  * ^designation[0].value = "Abandonment abroad"
* #human-trafficking "Mensenhandel" "Recruiting or holding people for exploitation through coercion or deception."
  * ^designation[0].language = #en
  * ^designation[0].value = "Human trafficking"

ValueSet: RegieViolenceTypeVS
Id: regie-violence-type
Title: "Forms of violence"
Description: "All codes defined in the Forms of violence code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieViolenceType

CodeSystem: RegieUnsafetyType
Id: regie-unsafety-type
Title: "Unsafety types"
Description: "Whether unsafety is acute or structural, as weighed in the Meldcode and the Veilig Thuis safety assessment."
* ^status = #active
* ^experimental = false
* ^caseSensitive = true
* ^language = #nl
* ^content = #complete
* #acute "Acute onveiligheid" "Direct danger to life or health that requires immediate protection."
  * ^designation[0].language = #en
  * ^designation[0].value = "Acute unsafety"
* #structural "Structurele onveiligheid" "Unsafety that has lasted or recurred over a longer period, or is embedded in patterns, without being immediately life-threatening."
  * ^designation[0].language = #en
  * ^designation[0].value = "Structural unsafety"

ValueSet: RegieUnsafetyTypeVS
Id: regie-unsafety-type
Title: "Unsafety types"
Description: "All codes defined in the Unsafety types code system."
* ^status = #active
* ^experimental = false
* include codes from system RegieUnsafetyType
