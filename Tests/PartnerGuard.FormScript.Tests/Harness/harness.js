// Drives a PartnerGuard form script in a real browser against an xrm-mock opportunity form.
// Xrm.WebApi.online.execute is the one piece xrm-mock leaves unimplemented; here it sends the request over HTTP
// to the Web API named by the page's `api` parameter, in the URL shape Dataverse expects. The final state of the
// form (notifications, partner field, requests sent) is written as JSON into <pre id="result">, and drawn as the
// seller would see it into <div id="seller-view"> (with `view=seller` in the query, only that is shown).
(function () {
    "use strict";

    var query = new URLSearchParams(window.location.search);
    var apiBase = query.get("api");
    var scriptUrl = query.get("script");
    var scenario = JSON.parse(atob(query.get("scenario").replace(/-/g, "+").replace(/_/g, "/")));
    var entitySets = { account: "accounts", contact: "contacts", transactioncurrency: "transactioncurrencies", pg_directsalesrule: "pg_directsalesrules" };

    var sent = [];
    var pending = 0;
    var idleWaiters = [];

    function settle() {
        // Let the script's own .then callbacks run (they are queued behind ours) before calling the form idle.
        setTimeout(function () {
            if (pending === 0) {
                idleWaiters.splice(0).forEach(function (resolve) { resolve(); });
            }
        }, 0);
    }

    function whenIdle() {
        return new Promise(function (resolve) { idleWaiters.push(resolve); settle(); });
    }

    function parameterLiteral(value, type) {
        if (type.structuralProperty === 5) {
            return JSON.stringify({ "@odata.id": entitySets[value.entityType] + "(" + value.id + ")" });
        }
        if (typeof value === "string") {
            return "'" + value.replace(/'/g, "''") + "'";
        }
        return String(value);
    }

    function bodyValue(value, type) {
        return type.structuralProperty === 5 ? { "@odata.type": "Microsoft.Dynamics.CRM." + value.entityType, [value.entityType + "id"]: value.id } : value;
    }

    // Unbound functions (operationType 1) as GET with parameter aliases; actions (0) as POST with a JSON body.
    function execute(request) {
        var metadata = request.getMetadata();
        var names = Object.keys(metadata.parameterTypes).filter(function (name) { return request[name] !== undefined && request[name] !== null; });
        var url;
        var init = { headers: { "Accept": "application/json", "OData-MaxVersion": "4.0", "OData-Version": "4.0" } };
        if (metadata.operationType === 1) {
            url = apiBase + metadata.operationName + "(" + names.map(function (name, i) { return name + "=@p" + (i + 1); }).join(",") + ")";
            if (names.length) {
                url += "?" + names.map(function (name, i) {
                    return "@p" + (i + 1) + "=" + encodeURIComponent(parameterLiteral(request[name], metadata.parameterTypes[name]));
                }).join("&");
            }
            init.method = "GET";
        } else {
            var body = {};
            names.forEach(function (name) { body[name] = bodyValue(request[name], metadata.parameterTypes[name]); });
            url = apiBase + metadata.operationName;
            init.method = "POST";
            init.headers["Content-Type"] = "application/json";
            init.body = JSON.stringify(body);
        }
        var record = { method: init.method, url: url, status: 0 };
        sent.push(record);
        pending++;
        // The body is read here, so that the script's json() settles in microtasks and "idle" (a task later) really
        // means the script has finished with the answer.
        return fetch(url, init).then(function (response) {
            return response.text().then(function (text) {
                var body = null;
                try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
                return { response: response, text: text, body: body };
            });
        }).then(function (read) {
            record.status = read.response.status;
            record.body = read.text;
            pending--;
            settle();
            if (read.response.ok) {
                return {
                    ok: true,
                    status: read.response.status,
                    statusText: read.response.statusText,
                    headers: read.response.headers,
                    json: function () { return Promise.resolve(read.body); },
                    text: function () { return Promise.resolve(read.text); }
                };
            }
            // Like the platform: a failed call rejects with { errorCode, message }.
            var error = read.body && read.body.error || {};
            return Promise.reject({ errorCode: parseInt(error.code || "0", 16) || read.response.status, message: error.message || read.response.statusText });
        }, function (failure) {
            pending--;
            settle();
            return Promise.reject({ errorCode: 0, message: String(failure) });
        });
    }

    function buildForm(values) {
        var generator = XrmMockLibrary.XrmMockGenerator;
        generator.initialise();
        generator.Attribute.createLookup("customerid", values.customerid || null);
        generator.Attribute.createLookup("pg_partnerid", values.pg_partnerid || null);
        generator.Attribute.createNumber("estimatedvalue", values.estimatedvalue === undefined ? null : values.estimatedvalue);
        generator.Attribute.createLookup("transactioncurrencyid", values.transactioncurrencyid || null);
        if (!values.webApiUnavailable) {
            // Otherwise xrm-mock's own execute stays, which throws at once ("not implemented").
            window.Xrm.WebApi.online.execute = execute;
        }
        var formContext = generator.getFormContext();
        var onSaveHandlers = 0;
        formContext.data.entity.addOnSave = function () { onSaveHandlers++; };
        return { generator: generator, formContext: formContext, onSaveHandlers: function () { return onSaveHandlers; } };
    }

    function loadScript(url) {
        return new Promise(function (resolve, reject) {
            var tag = document.createElement("script");
            tag.src = url;
            tag.onload = resolve;
            tag.onerror = function () { reject(new Error("could not load " + url)); };
            document.head.appendChild(tag);
        });
    }

    function lookupState(value) {
        return value && value.length ? { id: value[0].id, name: value[0].name, entityType: value[0].entityType } : null;
    }

    async function run() {
        var form = buildForm(scenario.form || {});
        var globalsBefore = Object.keys(window);
        await loadScript(scriptUrl);
        var newGlobals = Object.keys(window).filter(function (name) { return globalsBefore.indexOf(name) < 0; });

        for (var i = 0; i < scenario.steps.length; i++) {
            var step = scenario.steps[i];
            if (step.event === "load") {
                window.PartnerGuard.Opportunity.onLoad(form.generator.getEventContext());
            } else {
                var attribute = form.formContext.getAttribute(step.set);
                attribute.setValue(step.value);
                attribute.fireOnChange();
            }
            if (!step.overtakenBy) {
                await whenIdle();
            }
        }
        await whenIdle();

        return { form: form, result: {
            notifications: (form.formContext.ui.formNotifications || []).map(function (n) { return { message: n.message, level: n.level, uniqueId: n.uniqueId }; }),
            partner: lookupState(form.formContext.getAttribute("pg_partnerid").getValue()),
            requests: sent,
            newGlobals: newGlobals,
            onSaveHandlers: form.onSaveHandlers()
        } };
    }

    // A sketch of the form as the seller sees it once the script is done (xrm-mock has no UI of its own): the one
    // notification above the fields, the customer, the partner (pre-filled or not) and the value. Text only, set with
    // textContent, so names from the org are never read as HTML.
    function lookupText(value) {
        return value && value.length ? value[0].name : "";
    }

    function renderSellerView(form, state) {
        var view = document.getElementById("seller-view");
        var add = function (parent, tag, className, text) {
            var element = document.createElement(tag);
            if (className) { element.className = className; }
            if (text !== undefined) { element.textContent = text; }
            parent.appendChild(element);
            return element;
        };
        add(view, "div", "form-title", "New Opportunity");
        state.notifications.forEach(function (n) {
            var bar = add(view, "div", "notification " + n.level.toLowerCase());
            bar.setAttribute("data-level", n.level);
            add(bar, "span", "icon", n.level === "WARNING" ? "!" : "i");
            add(bar, "span", "message", n.message);
        });
        var fields = add(view, "dl", "fields");
        var value = form.formContext.getAttribute("estimatedvalue").getValue();
        [
            ["Potential Customer", lookupText(form.formContext.getAttribute("customerid").getValue()), "customer"],
            ["Partner", lookupText(form.formContext.getAttribute("pg_partnerid").getValue()), "partner"],
            ["Est. Revenue", value === null || value === undefined ? "" : value.toLocaleString("en-US"), "value"]
        ].forEach(function (field) {
            add(fields, "dt", null, field[0]);
            var cell = add(fields, "dd", !field[1] ? "empty" : field[2] === "value" ? "number" : "lookup", field[1] || "---");
            cell.setAttribute("data-field", field[2]);
        });
    }

    window.addEventListener("load", function () {
        var output = document.getElementById("result");
        run().then(function (state) {
            renderSellerView(state.form, state.result);
            state = state.result;
            output.textContent = JSON.stringify(state);
            output.setAttribute("data-state", "done");
        }, function (failure) {
            output.textContent = String(failure && failure.stack || failure);
            output.setAttribute("data-state", "failed");
        });
    });
}());
