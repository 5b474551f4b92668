"""What a submitter does after 从 Word 导入 has filled the form: the fields a practice document
does not give, then 提交, up to the receipt."""

from tests.browser.receipt import wait_for_receipt


def complete_and_submit(page):
    page.select_option("#id_org_type", "branch")
    page.select_option("#id_sector", "rural")
    page.select_option("#id_region", label="济南")
    page.fill("#id_contact_email", "lisi@example.com")
    page.check("#id_kind_0")
    page.fill("#id_brand_idea", "支部带头，党员示范，群众致富。")
    page.check("#id_consent")
    page.click("button[value=submit]")
    wait_for_receipt(page)
