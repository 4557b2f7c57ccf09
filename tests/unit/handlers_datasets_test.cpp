// DatasetService: uploads, profile, listing, tenant isolation.
#include "reference_app.h"
#include "handlers_test_support.h"

#include <keel/error.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>

using namespace keel::reference;
using keel::reference::test_support::error_of;
using keel::reference::test_support::TempDir;
using nlohmann::json;
namespace models = keel_reference::models;
using Dataset = DatasetService::Dataset;

namespace {

/// A model as the API sends it, through its own to_json.
template <class Model>
json wire(const Model& model) {
  return json(model);
}

class Datasets : public ::testing::Test {
protected:
  Datasets() : app_(options()) {
    app_.store().ensure_tenant({"tenant_b", "tenant_b", "free", 100, "2025-01-01T00:00:00.000Z"});
  }
  ReferenceAppOptions options() {
    ReferenceAppOptions o;
    o.data_dir = dir_.path();
    o.jobs.workers = 0;
    return o;
  }
  DatasetService& ds() { return app_.datasets(); }

  TempDir dir_;
  ReferenceApp app_;
};

const std::string kPeople = "name,age,score,member,city\n"
                            "ann,30,1.5,true,Oslo\n"
                            "bob,40,2.5,false,Oslo\n"
                            "cy,,3.5,true,\n"
                            "dee,50,,TRUE,Rome\n";

} // namespace

TEST_F(Datasets, StartsWithDevTenantAndReady) {
  EXPECT_TRUE(app_.ready());
  auto dev = app_.store().get_tenant("dev");
  ASSERT_TRUE(dev);
  EXPECT_EQ(dev->tier, "pro");
  EXPECT_EQ(dev->credits, 1000);
  EXPECT_EQ(app_.store().schema_version(), 1);
}

TEST_F(Datasets, UploadCsvReturnsDataset) {
  Dataset d = ds().upload_csv("dev", "people", kPeople);
  std::string id = d.id;
  ASSERT_EQ(id.size(), 3u + 26u);
  EXPECT_EQ(id.substr(0, 3), "ds_");
  EXPECT_EQ(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567", 3), std::string::npos);
  EXPECT_EQ(d.name, "people");
  EXPECT_EQ(d.format, models::DatasetFormat::csv);
  EXPECT_EQ(d.row_count, 4);
  EXPECT_EQ(d.column_count, 5);
  EXPECT_EQ(wire(d.columns), json::parse(R"([{"name":"name","type":"string"},
      {"name":"age","type":"integer"},{"name":"score","type":"number"},
      {"name":"member","type":"boolean"},{"name":"city","type":"string"}])"));
  EXPECT_EQ(d.size_bytes, static_cast<std::int64_t>(kPeople.size()));
  EXPECT_EQ(wire(ds().get("dev", id)), wire(d));
}

TEST_F(Datasets, Sha256IsOfUploadedBytes) {
  // sha256("a\n1\n"), computed independently with sha256sum.
  Dataset d = ds().upload_csv("dev", "abc", "a\n1\n");
  EXPECT_EQ(d.sha256, "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc");
  std::string created = d.created_at;
  ASSERT_EQ(created.size(), 24u); // 2025-01-02T03:04:05.678Z
  EXPECT_EQ(created.back(), 'Z');
  EXPECT_EQ(created[10], 'T');
}

TEST_F(Datasets, UploadJsonRowsArrayAndObjectForms) {
  Dataset a = ds().upload_json("dev", "rows", R"([{"b": 1, "a": "x"}, {"a": "y", "c": 2.5}])");
  EXPECT_EQ(a.format, models::DatasetFormat::json);
  EXPECT_EQ(a.row_count, 2);
  EXPECT_EQ(wire(a.columns), json::parse(R"([{"name":"b","type":"integer"},
      {"name":"a","type":"string"},{"name":"c","type":"number"}])"));
  Dataset b = ds().upload_json("dev", "", R"({"name": "named", "rows": [{"k": true}]})");
  EXPECT_EQ(b.name, "named");
  ASSERT_EQ(b.columns.size(), 1u);
  EXPECT_EQ(b.columns[0].type, models::ColumnType::boolean);
  EXPECT_EQ(error_of([&] { ds().upload_json("dev", "x", "[{\"a\": 1},"); }).code, "invalid_json");
  EXPECT_EQ(error_of([&] { ds().upload_json("dev", "x", R"([{"a": [1]}])"); }).code,
            "invalid_rows");
  EXPECT_EQ(error_of([&] { ds().upload_json("dev", "x", "[]"); }).code, "empty_dataset");
  EXPECT_EQ(error_of([&] { ds().upload_json("dev", "x", R"({"nope": 1})"); }).code,
            "validation_failed");
}

TEST_F(Datasets, UploadedFileIsCsvOrJsonByMediaTypeThenNameThenFirstByte) {
  const std::optional<std::string> no_name;
  EXPECT_EQ(ds().upload_file("dev", "p", "text/csv; charset=utf-8", no_name, "a\n1\n").format,
            models::DatasetFormat::csv);
  EXPECT_EQ(ds().upload_file("dev", "p", "Application/JSON", no_name, R"([{"a":1}])").format,
            models::DatasetFormat::json);
  EXPECT_EQ(ds().upload_file("dev", "p", "application/vnd.rows+json", no_name, R"([{"a":1}])").format,
            models::DatasetFormat::json);
  // application/octet-stream says nothing: the extension decides, then the first byte.
  Dataset named = ds().upload_file("dev", "", "application/octet-stream",
                                   std::string("r.JSON"), R"({"rows": [{"a": 1}]})");
  EXPECT_EQ(named.format, models::DatasetFormat::json);
  EXPECT_EQ(named.name, "dataset.json");
  EXPECT_EQ(ds().upload_file("dev", "p", "application/octet-stream", std::string("people.csv"), kPeople)
                .format,
            models::DatasetFormat::csv);
  EXPECT_EQ(ds().upload_file("dev", "p", "application/octet-stream", no_name, "  [{\"a\": 1}]").format,
            models::DatasetFormat::json);
  EXPECT_EQ(ds().upload_file("dev", "p", "application/octet-stream", no_name, "a\n1\n").format,
            models::DatasetFormat::csv);
  // A file's contents are checked as a dataset, whatever the API already validated.
  EXPECT_EQ(error_of([&] { ds().upload_file("dev", "p", "text/csv", no_name, "a,b\n1\n"); }).code,
            "invalid_csv");
  EXPECT_EQ(error_of([&] { ds().upload_file("dev", "p", "application/json", no_name, "[{"); }).code,
            "invalid_json");
}

TEST_F(Datasets, NameValidation) {
  EXPECT_EQ(ds().upload_csv("dev", "", "a\n1\n").name, "dataset.csv");
  auto e = error_of([&] { ds().upload_csv("dev", std::string(201, 'n'), "a\n1\n"); });
  EXPECT_EQ(e.code, "validation_failed");
  ASSERT_EQ(e.errors.size(), 1u);
  EXPECT_EQ(e.errors[0].pointer, "/body/name");
}

TEST_F(Datasets, ProfileNumbersOnKnownData) {
  Dataset d = ds().upload_csv("dev", "people", kPeople);
  DatasetService::DatasetProfile p = ds().profile("dev", d.id);
  EXPECT_EQ(p.dataset_id, d.id);
  EXPECT_EQ(p.row_count, 4);
  const auto& cols = p.columns;
  ASSERT_EQ(cols.size(), 5u);

  const auto& name = cols[0];
  EXPECT_EQ(name.type, models::ColumnType::string);
  EXPECT_EQ(name.null_rate.as_double(), 0.0);
  EXPECT_EQ(name.distinct_count, 4);
  ASSERT_TRUE(name.top_values.has_value());
  EXPECT_EQ(name.top_values->size(), 4u);
  EXPECT_FALSE(name.mean.has_value());

  const auto& age = cols[1]; // 30, 40, null, 50
  EXPECT_EQ(age.type, models::ColumnType::integer);
  EXPECT_DOUBLE_EQ(age.null_rate.as_double(), 0.25);
  EXPECT_EQ(age.distinct_count, 3);
  ASSERT_TRUE(age.min && age.max && age.mean);
  EXPECT_TRUE(age.min->is_integer()); // an integer column's bounds stay integers
  EXPECT_EQ(age.min->as_double(), 30);
  EXPECT_EQ(age.max->as_double(), 50);
  EXPECT_DOUBLE_EQ(age.mean->as_double(), 40.0);
  EXPECT_FALSE(age.top_values.has_value());

  const auto& score = cols[2]; // 1.5, 2.5, 3.5, null
  EXPECT_EQ(score.type, models::ColumnType::number);
  ASSERT_TRUE(score.min && score.max && score.mean);
  EXPECT_DOUBLE_EQ(score.min->as_double(), 1.5);
  EXPECT_DOUBLE_EQ(score.max->as_double(), 3.5);
  EXPECT_DOUBLE_EQ(score.mean->as_double(), 2.5);

  const auto& member = cols[3]; // true, false, true, TRUE
  EXPECT_EQ(member.type, models::ColumnType::boolean);
  EXPECT_EQ(member.distinct_count, 2);
  ASSERT_TRUE(member.top_values.has_value());
  EXPECT_EQ(wire(*member.top_values),
            json::parse(R"([{"value":"true","count":3},{"value":"false","count":1}])"));

  const auto& city = cols[4]; // Oslo, Oslo, null, Rome
  EXPECT_DOUBLE_EQ(city.null_rate.as_double(), 0.25);
  ASSERT_TRUE(city.top_values.has_value());
  EXPECT_EQ(wire(*city.top_values),
            json::parse(R"([{"value":"Oslo","count":2},{"value":"Rome","count":1}])"));
}

TEST_F(Datasets, TopValuesKeepsFiveMostFrequentTiesByValue) {
  Dataset d = ds().upload_csv("dev", "t", "c\ng\nf\ne\nd\nc\nb\na\na\n");
  auto p = ds().profile("dev", d.id);
  ASSERT_EQ(p.columns.size(), 1u);
  ASSERT_TRUE(p.columns[0].top_values.has_value());
  EXPECT_EQ(wire(*p.columns[0].top_values),
            json::parse(R"([{"value":"a","count":2},{"value":"b","count":1},{"value":"c","count":1},
                            {"value":"d","count":1},{"value":"e","count":1}])"));
}

TEST_F(Datasets, PaginationAndSort) {
  std::vector<std::string> names = {"delta", "alpha", "echo", "charlie", "bravo"};
  std::vector<std::string> ids;
  for (const auto& n : names) ids.push_back(ds().upload_csv("dev", n, "a\n1\n").id);

  auto first = ds().list("dev", 1, 2, "created_at:asc");
  EXPECT_EQ(first.page, 1);
  EXPECT_EQ(first.limit, 2);
  EXPECT_EQ(first.total, 5);
  ASSERT_EQ(first.data.size(), 2u);
  EXPECT_EQ(first.data[0].id, ids[0]);
  EXPECT_EQ(first.data[1].id, ids[1]);
  auto third = ds().list("dev", 3, 2, "created_at:asc");
  ASSERT_EQ(third.data.size(), 1u);
  EXPECT_EQ(third.data[0].id, ids[4]);
  EXPECT_EQ(ds().list("dev", 4, 2, "created_at:asc").data.size(), 0u);

  auto newest = ds().list("dev", 1, 25, "created_at:desc");
  ASSERT_EQ(newest.data.size(), 5u);
  EXPECT_EQ(newest.data[0].id, ids[4]);
  EXPECT_EQ(newest.data[4].id, ids[0]);
  EXPECT_EQ(ds().list("dev").data[0].id, ids[4]); // default: newest first

  auto by_name = ds().list("dev", 1, 25, "name:asc");
  std::vector<std::string> got;
  for (const auto& d : by_name.data) got.push_back(d.name);
  EXPECT_EQ(got, (std::vector<std::string>{"alpha", "bravo", "charlie", "delta", "echo"}));
  EXPECT_EQ(ds().list("dev", 1, 25, "name:desc").data[0].name, "echo");

  for (auto bad : {std::pair{0, 25}, {1, 0}, {1, 101}, {-1, 10}}) {
    auto e = error_of([&] { ds().list("dev", bad.first, bad.second); });
    EXPECT_EQ(e.code, "validation_failed");
    EXPECT_FALSE(e.errors.empty());
  }
  auto bad_sort = error_of([&] { ds().list("dev", 1, 25, "size:asc"); });
  ASSERT_EQ(bad_sort.errors.size(), 1u);
  EXPECT_EQ(bad_sort.errors[0].pointer, "/query/sort");
}

TEST_F(Datasets, DeleteRemovesAndThenNotFound) {
  std::string id = ds().upload_csv("dev", "gone", "a\n1\n").id;
  ds().remove("dev", id);
  EXPECT_EQ(error_of([&] { ds().get("dev", id); }).status, 404);
  EXPECT_EQ(error_of([&] { ds().remove("dev", id); }).status, 404);
  EXPECT_EQ(error_of([&] { ds().profile("dev", id); }).status, 404);
  EXPECT_FALSE(app_.store().get_dataset_rows("dev", id).has_value());
}

TEST_F(Datasets, TenantIsolationLooksLikeMissing) {
  std::string id = ds().upload_csv("dev", "secret", kPeople).id;
  auto missing = error_of([&] { ds().get("tenant_b", "ds_doesnotexistdoesnotexist00"); });
  auto other = error_of([&] { ds().get("tenant_b", id); });
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.code, missing.code);
  EXPECT_EQ(other.title, missing.title);
  EXPECT_EQ(other.hint, missing.hint);
  EXPECT_EQ(keel::envelope_json(other, "c1"), keel::envelope_json(missing, "c1"));

  EXPECT_EQ(error_of([&] { ds().profile("tenant_b", id); }).hint, missing.hint);
  EXPECT_EQ(error_of([&] { ds().remove("tenant_b", id); }).hint, missing.hint);
  EXPECT_EQ(ds().list("tenant_b").total, 0);
  EXPECT_EQ(ds().list("tenant_b").data.size(), 0u);
  // Still there for its owner after the other tenant's delete attempt.
  EXPECT_EQ(ds().get("dev", id).id, id);
  EXPECT_EQ(ds().list("dev").total, 1);
}

TEST_F(Datasets, SurvivesReopen) {
  std::string id = ds().upload_csv("dev", "kept", kPeople).id;
  ReferenceAppOptions o;
  o.data_dir = dir_.path();
  o.jobs.workers = 0;
  ReferenceApp again(o);
  EXPECT_EQ(again.datasets().get("dev", id).name, "kept");
  EXPECT_EQ(again.store().get_tenant("dev")->credits, 1000); // dev tenant not recreated
}

TEST_F(Datasets, UploadThroughput) {
  std::string csv = "id,name,amount,ratio,flag\n";
  for (int i = 0; i < 100000; ++i)
    csv += std::to_string(i) + ",name" + std::to_string(i % 97) + "," +
           std::to_string(i * 7 % 1000) + "," + std::to_string(i % 100) + ".25," +
           (i % 2 ? "true" : "false") + "\n";
  auto start = std::chrono::steady_clock::now();
  Dataset d = ds().upload_csv("dev", "big", csv);
  double upload = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  start = std::chrono::steady_clock::now();
  auto p = ds().profile("dev", d.id);
  double profile = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ figures  ] upload: 100000 rows x 5 columns (%.1f MB) in %.3f s = %.0f rows/s; "
              "profile read %.4f s\n",
              static_cast<double>(csv.size()) / 1e6, upload, 100000 / upload, profile);
  EXPECT_EQ(d.row_count, 100000);
  ASSERT_FALSE(p.columns.empty());
  EXPECT_EQ(p.columns[0].distinct_count, 100000);
}
