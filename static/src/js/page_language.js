/** @odoo-module **/
// The web client leaves <html> without a language. CSS uppercase (form group titles, badges) is then cased
// the English way, and Turkish loses its dotted capital: "KONTROL LISTESI" for "Kontrol listesi". With the
// user's language on the page, the browser writes "KONTROL LİSTESİ".
import { user } from "@web/core/user";

document.documentElement.lang = user.lang || "en-US";
