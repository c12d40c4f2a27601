/** @odoo-module **/
/*
 * The first run of a seller, in the browser, against the eMAG sandbox
 * (tests/test_emag_tours.py sets up the company, a product with stock, an
 * account with only its name and URL, a draft offer and an order on eMAG):
 * credentials, Test Connection, reference data, AWB settings, Publish, Read
 * Orders Now, the order's delivery validated, its AWB and label, and an
 * Overview with nothing to do. Jobs run at once during the test.
 */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const ACCOUNT = "eMAG Tour";
const PRODUCT = "Casti Bluetooth Tur";
// steps that wait for eMAG (the sandbox) through a job
const EMAG_TIMEOUT = 60000;

function openMenu(xmlid, content) {
    return {
        content,
        trigger: `[data-menu-xmlid='emag_connector.${xmlid}']`,
        run: "click",
    };
}

function openAccount() {
    return [
        openMenu("menu_emag_configuration", "Open eMAG > Configuration"),
        openMenu("menu_emag_account", "Open the eMAG accounts"),
        {
            content: "Open the account",
            trigger: `.o_list_view .o_data_row .o_data_cell[name=name]:contains('${ACCOUNT}')`,
            run: "click",
        },
        {
            content: "The account's form",
            trigger: `.o_last_breadcrumb_item:contains('${ACCOUNT}')`,
        },
    ];
}

registry.category("web_tour.tours").add("emag_first_run", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the eMAG app",
            trigger: ".o_app[data-menu-xmlid='emag_connector.menu_emag_root']",
            run: "click",
        },
        ...openAccount(),
        // --- credentials and Test Connection --------------------------------
        {
            content: "Type the API username eMAG gave",
            trigger: ".o_field_widget[name=username] input",
            run: "edit seller",
        },
        {
            content: "Type the API password",
            trigger: ".o_field_widget[name=password] input",
            run: "edit secret",
        },
        {
            content: "Save the account",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Test the connection",
            trigger: "button[name=action_test_connection]",
            run: "click",
        },
        {
            content: "eMAG accepted the credentials",
            trigger: ".o_field_widget[name=connection_state] .o_arrow_button_current:contains('Connected')",
            timeout: EMAG_TIMEOUT,
        },
        {
            content: "and says so",
            trigger: ".alert-success .o_field_widget[name=connection_message]:contains('Connected to')",
        },
        // --- reference data and what AWBs need -------------------------------
        {
            content: "Import the reference data (VAT rates, couriers, addresses)",
            trigger: "button[name=action_import_reference_data]",
            run: "click",
        },
        {
            content: "Open the Shipping tab",
            trigger: ".o_notebook_headers a:contains('Shipping')",
            run: "click",
        },
        {
            content: "Choose the pickup address imported from eMAG",
            trigger: ".o_field_widget[name=pickup_address_id] input",
            run: "edit Depozitului",
            timeout: EMAG_TIMEOUT,
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Strada Depozitului 10, Sector 3')",
            run: "click",
        },
        {
            content: "Choose the courier account",
            trigger: ".o_field_widget[name=courier_account_id] input",
            run: "edit Sameday",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Sameday - cont principal')",
            run: "click",
        },
        {
            content: "Save the account",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        // --- publish the offer -----------------------------------------------
        openMenu("menu_emag_offer", "Open eMAG > Offers"),
        {
            content: "Open the offer",
            trigger: `.o_list_view .o_data_row .o_data_cell[name=product_id]:contains('${PRODUCT}')`,
            run: "click",
        },
        {
            content: "Publish it on eMAG",
            trigger: ".o_form_view button[name=action_publish]",
            run: "click",
        },
        {
            content: "Published",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Published')",
            timeout: EMAG_TIMEOUT,
        },
        // --- read the orders ---------------------------------------------------
        ...openAccount(),
        {
            content: "Read the orders now",
            trigger: "button[name=action_pull_orders]",
            run: "click",
        },
        {
            content: "Orders read",
            trigger: ".o_field_widget[name=last_orders_pull] span:not(:empty)",
            timeout: EMAG_TIMEOUT,
        },
        openMenu("menu_emag_order", "Open eMAG > Orders"),
        {
            content: "The order is imported",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=state]:contains('Imported')",
            run: "click",
        },
        {
            content: "Open its sale order",
            trigger: ".o_form_view .o_field_widget[name=sale_order_id] a",
            run: "click",
        },
        {
            content: "A confirmed sale order",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Sales Order')",
        },
        // --- ship it -------------------------------------------------------------
        {
            content: "Open its delivery",
            trigger: "button[name=action_view_delivery]",
            run: "click",
        },
        {
            content: "Validate the delivery",
            trigger: ".o_form_view button[name=button_validate]",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Done')",
            timeout: EMAG_TIMEOUT,
        },
        {
            content: "Its AWB label can be downloaded",
            trigger: ".o_form_view button[name=action_emag_download_label]",
        },
        {
            content: "The label is posted on the delivery",
            trigger: ".o-mail-Message-body:contains('eMAG AWB label')",
        },
        {
            content: "Open the eMAG AWB",
            trigger: ".o_field_widget[name=emag_awb_id] a",
            run: "click",
        },
        {
            content: "Issued on eMAG",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Issued')",
        },
        {
            content: "with its label",
            trigger: ".o_field_widget[name=label_id]:contains('AWB-'):contains('.pdf')",
        },
        // --- nothing left to do ---------------------------------------------------
        openMenu("menu_emag_overview", "Open eMAG > Overview"),
        {
            content: "The account's card says nothing needs the seller",
            trigger: `.o_kanban_record:contains('${ACCOUNT}') .o_emag_all_well:contains('Nothing on eMAG needs you.')`,
        },
    ],
});
