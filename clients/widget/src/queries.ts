/** The operations every build needs: the shop's widget settings, the shopper, the live balance. */

export const CONFIG = `query WidgetConfig($language: String) {
  widgetConfig(language: $language) {
    language defaultLanguage languages rtl shopName currency pointsCurrencySingular pointsCurrencyPlural
    strings { key value }
    branding { primaryColor primaryTextColor accentColor backgroundColor textColor launcherPosition launcherLabel launcherIcon panelStyle }
    waysToEarn { kind points spendAmount }
  }
}`;

export const ME = `query WidgetMe { me { id firstName pointsBalance pointsPending totalPointsEarned } }`;

export const BALANCE_SUBSCRIPTION = `subscription WidgetBalance { pointsBalanceChanged { customerId balance delta entryType reason transactionId at } }`;
