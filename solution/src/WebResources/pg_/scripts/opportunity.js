// PartnerGuard: channel preview on the opportunity main form (web resource pg_/scripts/opportunity.js).
// Register PartnerGuard.Opportunity.onLoad as the form's OnLoad handler with "Pass execution context" on; it
// adds the change handlers itself. The script only informs: the plug-in on save is the only enforcement, so
// it never registers an OnSave handler. Contract of the Custom API it calls: solution/CheckChannel.contract.md.
var PartnerGuard = window.PartnerGuard || {};

PartnerGuard.Opportunity = (function () {
    "use strict";

    var NOTIFICATION_ID = "pg_channelpreview";
    var WATCHED_COLUMNS = ["customerid", "pg_partnerid", "estimatedvalue", "transactioncurrencyid"];
    var NEUTRAL_MESSAGE = "The channel preview is not available right now. Saving still applies PartnerGuard's rules.";

    // Each check takes a ticket; only the answer to the newest ticket may touch the form, so a slow answer to an
    // earlier change never overwrites the preview of a later one.
    var latestTicket = 0;

    function CheckChannelRequest(customer, partner, estimatedValue, currency) {
        this.Customer = customer;
        if (partner) {
            this.Partner = partner;
        }
        if (estimatedValue !== null && estimatedValue !== undefined) {
            this.EstimatedValue = estimatedValue;
        }
        if (currency) {
            this.TransactionCurrency = currency;
        }
    }

    CheckChannelRequest.prototype.getMetadata = function () {
        return {
            boundParameter: null,
            operationName: "pg_CheckChannel",
            operationType: 1, // function: a read-only check, GET
            parameterTypes: {
                Customer: { typeName: "mscrm.crmbaseentity", structuralProperty: 5 },
                Partner: { typeName: "mscrm.account", structuralProperty: 5 },
                EstimatedValue: { typeName: "Edm.Decimal", structuralProperty: 1 },
                TransactionCurrency: { typeName: "mscrm.transactioncurrency", structuralProperty: 5 }
            }
        };
    };

    function firstLookup(formContext, column) {
        var attribute = formContext.getAttribute(column);
        var value = attribute ? attribute.getValue() : null;
        return value && value.length ? value[0] : null;
    }

    function numberValue(formContext, column) {
        var attribute = formContext.getAttribute(column);
        return attribute ? attribute.getValue() : null;
    }

    function reference(lookup) {
        return lookup ? { entityType: lookup.entityType, id: lookup.id.replace(/[{}]/g, "") } : null;
    }

    function responsePartnerId(partner) {
        return partner && (partner.accountid || partner.id) || null;
    }

    // What the seller reads: one sentence, in the words of someone filling in a deal.
    function describe(answer, partnerOnForm) {
        var outcome = answer.Outcome;
        if (outcome === "Partner") {
            return {
                level: "INFO",
                text: partnerOnForm
                    ? "This deal goes through " + (answer.PartnerName || partnerOnForm.name || "the partner on this deal") + "."
                    : "This deal goes through " + (answer.PartnerName || "the customer's partner") + " (assigned partner)."
            };
        }
        if (outcome === "Direct" || outcome === "Bypassed") {
            return { level: "INFO", text: answer.Reason || NEUTRAL_MESSAGE };
        }
        if ((outcome === "Blocked" || outcome === "Unresolved") && answer.Code === "PG-001") {
            return { level: "WARNING", text: "Choose a partner: no rule covers this customer." };
        }
        if (outcome === "Blocked" || outcome === "Unresolved") {
            return { level: "WARNING", text: answer.Reason || NEUTRAL_MESSAGE };
        }
        return { level: "INFO", text: NEUTRAL_MESSAGE };
    }

    // Clear, then set: the one preview notification is replaced whether or not the host updates an existing id in place.
    function show(formContext, text, level) {
        formContext.ui.clearFormNotification(NOTIFICATION_ID);
        formContext.ui.setFormNotification(text, level, NOTIFICATION_ID);
    }

    function prefillAssignedPartner(formContext, answer, askedWithPartner) {
        var partnerId = responsePartnerId(answer.Partner);
        var partnerAttribute = formContext.getAttribute("pg_partnerid");
        if (askedWithPartner || answer.Outcome !== "Partner" || !partnerId || !partnerAttribute || partnerAttribute.getValue()) {
            return;
        }
        partnerAttribute.setValue([{ id: partnerId, name: answer.PartnerName || "", entityType: "account" }]);
    }

    function check(formContext) {
        var ticket = ++latestTicket;
        var customer = firstLookup(formContext, "customerid");
        if (!customer) {
            formContext.ui.clearFormNotification(NOTIFICATION_ID);
            return Promise.resolve();
        }

        var partner = firstLookup(formContext, "pg_partnerid");
        var request = new CheckChannelRequest(
            reference(customer),
            reference(partner),
            numberValue(formContext, "estimatedvalue"),
            reference(firstLookup(formContext, "transactioncurrencyid")));

        // Started inside a promise so that even a call that throws at once ends in the neutral line below.
        return Promise.resolve()
            .then(function () { return Xrm.WebApi.online.execute(request); })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("pg_CheckChannel answered " + response.status);
                }
                return response.json();
            })
            .then(function (answer) {
                if (ticket !== latestTicket) {
                    return;
                }
                var notice = describe(answer, partner);
                prefillAssignedPartner(formContext, answer, partner !== null);
                show(formContext, notice.text, notice.level);
            })
            .catch(function () {
                // The seller gets a neutral line, never a stack; the save is judged by the plug-in either way.
                if (ticket === latestTicket) {
                    show(formContext, NEUTRAL_MESSAGE, "INFO");
                }
            });
    }

    function onChange(executionContext) {
        return check(executionContext.getFormContext());
    }

    function onLoad(executionContext) {
        var formContext = executionContext.getFormContext();
        WATCHED_COLUMNS.forEach(function (column) {
            var attribute = formContext.getAttribute(column);
            if (attribute) {
                attribute.addOnChange(onChange);
            }
        });
        return check(formContext);
    }

    return { onLoad: onLoad, onChange: onChange };
}());
