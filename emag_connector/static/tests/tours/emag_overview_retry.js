/** @odoo-module **/
/*
 * An order that could not be imported, followed from the Overview card to its
 * Retry (tests/test_emag_tours.py imports it in exception, then creates the
 * offer it lacked): the card counts it, the count opens it, Retry imports it,
 * and the card is empty again. Jobs run at once during the test.
 */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const ACCOUNT = "eMAG Tour";
const CARD = `.o_kanban_record:contains('${ACCOUNT}')`;

registry.category("web_tour.tours").add("emag_overview_retry", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the eMAG app",
            trigger: ".o_app[data-menu-xmlid='emag_connector.menu_emag_root']",
            run: "click",
        },
        {
            content: "Open eMAG > Overview",
            trigger: ".o_main_navbar [data-menu-xmlid='emag_connector.menu_emag_overview']",
            run: "click",
        },
        {
            content: "The card counts one order in exception: open it",
            trigger: `${CARD} .o_emag_health a[name=action_open_health]:contains('1 Orders in exception')`,
            run: "click",
        },
        {
            content: "The order, with the reason it was not imported",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=exception_message]:contains('777')",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row .o_data_cell[name=name]:contains('eMAG ')",
            run: "click",
        },
        {
            content: "In exception",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Exception')",
        },
        {
            content: "The offer exists now: retry",
            trigger: ".o_form_view button[name=action_retry]",
            run: "click",
        },
        {
            content: "Imported",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Imported')",
            timeout: 60000,
        },
        {
            content: "with its sale order",
            trigger: ".o_field_widget[name=sale_order_id] a",
        },
        {
            content: "Back to eMAG > Overview",
            trigger: ".o_main_navbar [data-menu-xmlid='emag_connector.menu_emag_overview']",
            run: "click",
        },
        {
            content: "Nothing on eMAG needs the seller any more",
            trigger: `${CARD} .o_emag_all_well:contains('Nothing on eMAG needs you.')`,
        },
    ],
});
