"""Reading DICOM files with pydicom, and writing the stand-in's sample files."""
import datetime
import os

import pydicom
from pydicom.dataset import FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid

# The directory under MEDIA_ROOT that holds the DICOM files.
DICOM_DIR = "dicom"

# Made-up patients: the stand-in never holds real patient data.
SAMPLES = [
    {"name": "sample-ct", "patient": "DOE^JANE", "id": "NOC-0001", "date": "20260115", "modality": "CT",
     "description": "CT head (stand-in)"},
    {"name": "sample-mr", "patient": "ROE^RICHARD", "id": "NOC-0002", "date": "20260203", "modality": "MR",
     "description": "MR knee (stand-in)"},
    {"name": "sample-cr", "patient": "MUSTERMANN^ERIKA", "id": "NOC-0003", "date": "20260220", "modality": "CR",
     "description": "Chest X-ray (stand-in)"},
]
# A 16x16 8-bit grey ramp: a real image, 256 bytes.
SIZE = 16


def dicom_files(media_root):
    """The *.dcm files under MEDIA_ROOT/dicom, sorted, as paths relative to MEDIA_ROOT."""
    found = []
    for folder, _, names in os.walk(os.path.join(media_root, DICOM_DIR)):
        found.extend(os.path.relpath(os.path.join(folder, name), media_root) for name in names if name.endswith(".dcm"))
    return sorted(found)


def read_study(media_root, relative_path):
    """The Study fields of one DICOM file; pydicom raises InvalidDicomError for a file that is not DICOM."""
    dataset = pydicom.dcmread(os.path.join(media_root, relative_path), stop_before_pixels=True)
    date = dataset.get("StudyDate", "")
    return {
        "study_instance_uid": str(dataset.StudyInstanceUID),
        "patient_name": str(dataset.get("PatientName", "")),
        "patient_id": str(dataset.get("PatientID", "")),
        "study_date": datetime.datetime.strptime(date, "%Y%m%d").date() if date else None,
        "modality": str(dataset.get("Modality", "")),
        "description": str(dataset.get("StudyDescription", "")),
        "rows": int(dataset.Rows),
        "columns": int(dataset.Columns),
        "file": relative_path,
    }


def write_sample(path, sample):
    """Writes one Secondary Capture image. Its UIDs derive from the sample's name, so rewriting it gives the same
    study, not a new one."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[sample["name"], "instance"])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian

    dataset = FileDataset(path, {}, file_meta=meta, preamble=b"\0" * 128)
    dataset.SOPClassUID = meta.MediaStorageSOPClassUID
    dataset.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    dataset.StudyInstanceUID = generate_uid(entropy_srcs=[sample["name"], "study"])
    dataset.SeriesInstanceUID = generate_uid(entropy_srcs=[sample["name"], "series"])
    dataset.PatientName = sample["patient"]
    dataset.PatientID = sample["id"]
    dataset.StudyDate = sample["date"]
    dataset.Modality = sample["modality"]
    dataset.ConversionType = "WSD"
    dataset.StudyDescription = sample["description"]
    dataset.Rows = SIZE
    dataset.Columns = SIZE
    dataset.SamplesPerPixel = 1
    dataset.PhotometricInterpretation = "MONOCHROME2"
    dataset.BitsAllocated = 8
    dataset.BitsStored = 8
    dataset.HighBit = 7
    dataset.PixelRepresentation = 0
    dataset.PixelData = bytes(range(SIZE * SIZE))
    # pydicom 2.3 (Debian 12) takes the encoding from these two, and the transfer syntax above must agree.
    dataset.is_little_endian = True
    dataset.is_implicit_VR = False
    dataset.save_as(path, write_like_original=False)
