<#import "template.ftl" as layout>
<#-- The sign-in role picker (keycloak-sts). A fallback template for every login theme: it uses only the layout
     macro and the kc* CSS classes every Keycloak login theme defines, so it renders in the realm's theme. -->
<@layout.registrationLayout displayMessage=true; section>
    <#if section = "header">
        ${msg("kcstsChooseRoleTitle")}
    <#elseif section = "form">
        <#if kcstsRoles?has_content>
            <p id="kcsts-intro">${msg("kcstsChooseRoleIntro", kcstsClient)}</p>
            <form id="kcsts-choose-role" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
                <div class="${properties.kcFormGroupClass!}">
                    <label for="kcsts-role-search" class="${properties.kcLabelClass!}">${msg("kcstsSearchRoles")}</label>
                    <input type="search" id="kcsts-role-search" class="${properties.kcInputClass!}" autocomplete="off"
                           placeholder="${msg("kcstsSearchRolesPlaceholder")}" aria-controls="kcsts-role-list"/>
                </div>
                <fieldset id="kcsts-role-list" class="${properties.kcFormGroupClass!}" style="border:0;padding:0;margin:0">
                    <legend class="${properties.kcLabelClass!}">${msg("kcstsRoles")}</legend>
                    <#list kcstsRoles as role>
                        <div class="kcsts-role" data-search="${(role.name + ' ' + role.path + ' ' + role.description)?lower_case}"
                             data-max-duration="${role.maxDuration?c}" style="margin:0 0 0.75rem 0">
                            <label style="display:flex;gap:0.5rem;align-items:flex-start;cursor:pointer">
                                <input type="radio" name="role" value="${role.id}" id="kcsts-role-${role?index}"
                                       data-default-duration="${role.defaultDuration?c}" <#if role?is_first>checked</#if> required/>
                                <span>
                                    <strong class="kcsts-role-name">${role.name}</strong>
                                    <small style="opacity:0.75">${role.path}</small>
                                    <#if role.description?has_content><br/><span class="kcsts-role-description">${role.description}</span></#if>
                                    <br/><small>${msg("kcstsMaxDuration", (role.maxDuration / 60)?c)}</small>
                                </span>
                            </label>
                        </div>
                    </#list>
                    <p id="kcsts-no-match" hidden>${msg("kcstsNoMatch")}</p>
                </fieldset>
                <div class="${properties.kcFormGroupClass!}">
                    <label for="kcsts-duration" class="${properties.kcLabelClass!}">${msg("kcstsDuration")}</label>
                    <select id="kcsts-duration" name="duration" class="${properties.kcInputClass!}">
                        <#list kcstsDurations as duration>
                            <option value="${duration?c}" <#if duration == kcstsDefaultDuration>selected</#if>>${msg("kcstsMinutes", (duration / 60)?c)}</option>
                        </#list>
                    </select>
                </div>
                <div id="kc-form-buttons" class="${properties.kcFormButtonsClass!}">
                    <input class="${properties.kcButtonClass!} ${properties.kcButtonPrimaryClass!} ${properties.kcButtonBlockClass!} ${properties.kcButtonLargeClass!}"
                           type="submit" id="kcsts-continue" value="${msg("kcstsContinue")}"/>
                </div>
            </form>
            <script>
                (function () {
                    var search = document.getElementById('kcsts-role-search');
                    var roles = Array.prototype.slice.call(document.querySelectorAll('.kcsts-role'));
                    var duration = document.getElementById('kcsts-duration');
                    var none = document.getElementById('kcsts-no-match');
                    var submit = document.getElementById('kcsts-continue');
                    // Durations above the chosen role's maximum cannot be picked (the server checks again).
                    function limitDurations() {
                        var checked = document.querySelector('input[name=role]:checked');
                        if (!checked) { return; }
                        var max = parseInt(checked.closest('.kcsts-role').getAttribute('data-max-duration'), 10);
                        var keep = parseInt(duration.value, 10);
                        Array.prototype.forEach.call(duration.options, function (option) {
                            option.disabled = parseInt(option.value, 10) > max;
                        });
                        if (keep > max) { duration.value = checked.getAttribute('data-default-duration'); }
                    }
                    search.addEventListener('input', function () {
                        var query = search.value.trim().toLowerCase();
                        var shown = 0;
                        roles.forEach(function (role) {
                            var match = role.getAttribute('data-search').indexOf(query) >= 0;
                            role.hidden = !match;
                            if (match) { shown++; }
                        });
                        none.hidden = shown > 0;
                        // What is submitted is always what is shown: a role the search hid is never the choice.
                        // The first role still shown becomes it; with none shown there is nothing to submit.
                        var checked = document.querySelector('input[name=role]:checked');
                        if (checked && checked.closest('.kcsts-role').hidden) {
                            checked.checked = false;
                            checked = null;
                        }
                        if (!checked) {
                            var first = roles.filter(function (role) { return !role.hidden; })[0];
                            if (first) { first.querySelector('input[name=role]').checked = true; }
                        }
                        submit.disabled = shown === 0;
                        limitDurations();
                    });
                    document.querySelectorAll('input[name=role]').forEach(function (radio) {
                        radio.addEventListener('change', limitDurations);
                    });
                    limitDurations();
                })();
            </script>
        <#else>
            <p id="kcsts-no-role">${msg("kcstsNoRoleExplained", kcstsClient)}</p>
            <#-- Not a dead end: sign in as someone else (restart the login), or go back to the application. -->
            <p id="kcsts-no-role-actions">
                <a id="kcsts-sign-in-again" href="${url.loginRestartFlowUrl}">${msg("kcstsSignInAsSomeoneElse")}</a>
                <#if client?? && client.baseUrl?has_content>
                    &nbsp;·&nbsp;<a id="kcsts-back-to-application" href="${client.baseUrl}">${msg("kcstsBackToApplication", kcstsClient)}</a>
                </#if>
            </p>
        </#if>
    </#if>
</@layout.registrationLayout>
