"""A stand-in submission form (test-only URLs) with what the real one has: CSRF, the abuse
guards, a formset and multiple photos; tests/test_bench_harness.py drives the load test's
submitter against it through a live server."""

from django import forms
from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.urls import path

from submissions import abuse

RECEIVED = []


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        single = super().clean
        return [single(item, initial) for item in data] if isinstance(data, list | tuple) else single(data, initial)


class EntryForm(abuse.GuardedForm):
    org_name = forms.CharField(max_length=100)
    contact_email = forms.EmailField()
    contact_phone = forms.CharField(max_length=11, min_length=11)
    consent = forms.BooleanField()
    photos = MultipleFileField(widget=MultipleImageInput(attrs={"accept": "image/*"}), required=False)


class SectionForm(forms.Form):
    heading = forms.CharField(max_length=40)
    body = forms.CharField(widget=forms.Textarea)


Sections = forms.formset_factory(SectionForm, extra=2, min_num=1)
PAGE = engines["django"].from_string(
    '<form method="post" enctype="multipart/form-data">{% csrf_token %}{{ form.as_div }}{{ sections.management_form }}'
    "{% for f in sections %}{{ f.as_div }}{% endfor %}<button>提交</button></form>{{ form.errors }}{{ sections.errors }}"
)


def submit(request, slug):
    form = EntryForm(request.POST or None, request.FILES or None)
    sections = Sections(request.POST or None, prefix="sections")
    if request.method == "POST" and form.is_valid() and sections.is_valid():
        RECEIVED.append(
            {
                "org": form.cleaned_data["org_name"],
                "photos": len(request.FILES.getlist("photos")),
                "sections": len(sections.forms),
            }
        )
        return HttpResponseRedirect("/track/done/")
    return HttpResponse(PAGE.render({"form": form, "sections": sections}, request))


urlpatterns = [path("call/<slug:slug>/submit/", submit)]
